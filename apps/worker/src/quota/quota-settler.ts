import { Logger } from '@nestjs/common';
import { settlementOf, type Catalog } from '@strata/catalog';
import type { StrataEvent } from '@strata/domain';
import type { EventStore } from '@strata/event-store';
import { claimImport, DEFAULT_QUOTA_CLASS, quotaDefaultsFrom, settleQuotaClaim, type QuotaOptions } from '@strata/workflows';
import { randomUUID } from 'node:crypto';
import { JobRecorder } from '../job-recorder';

/**
 * Events after which a claim's subject may have left `creating` or been deleted: the settler looks
 * again. A claim itself (QuotaReserved) too: its subject may have ended before the claim was decided.
 */
export const QUOTA_SETTLE_TRIGGERS = [
  'QuotaReserved',
  'BackupRequested',
  'BackupCompleted',
  'BackupFailed',
  'BackupCancelled',
  'BackupDeleted',
  'BackupStatusReset',
  'VolumeBackupEnded',
  'SnapshotBackupEnded',
  'VolumeProvisioned',
  'VolumeProvisioningFailed',
  'VolumeRestoreEnded',
  'VolumeDeleted',
  'SnapshotProvisioned',
  'SnapshotProvisioningFailed',
  'SnapshotDeleted',
] as const satisfies readonly StrataEvent['type'][];

export interface QuotaSettlerDeps {
  readonly store: EventStore;
  readonly catalog: Catalog;
  readonly options: QuotaOptions;
  readonly now: () => Date;
}

/**
 * The last step of every creation's quota claim: once the catalog shows the subject created, its claim
 * is committed; failed (a backup), withdrawn or deleted, released. Pending work is what the catalog
 * shows (`quotaClaimsToSettle`), derived from the log like every job's: a crash between an outcome
 * and its settlement is settled by the next run after the restart, whatever time it is. Each step is
 * keyed by the claim, so two workers settling at once record it once.
 */
export class QuotaSettler {
  private readonly logger = new Logger('QuotaSettler');
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly deps: QuotaSettlerDeps) {}

  /** Settles what is due; asked while it runs, it runs once more after. Resolves when that run is done. */
  request(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async () => {
      do {
        this.again = false;
        await this.settleOnce();
      } while (this.again);
    };
    this.running = run()
      .catch((error: unknown) => this.logger.warn(`quota settlement failed, the next sweep retries: ${(error as Error).message}`))
      .finally(() => (this.running = null));
    return this.running;
  }

  /** Waits for the run in progress, if any. */
  async idle(): Promise<void> {
    await this.running;
  }

  /** Only in a sweep: an import's request claims right after it, so one seen unclaimed on a trigger is usually in flight. */
  async sweep(): Promise<void> {
    await this.request();
    const { catalog } = this.deps;
    const unclaimed = catalog.unclaimedImports();
    if (unclaimed.length === 0) return;
    const recorder = this.recorder();
    const defaults = quotaDefaultsFrom(this.deps.options, catalog.quotaClassLimits(DEFAULT_QUOTA_CLASS));
    // Keyed by the import it belongs to: the api's own claim of it, if it made one, is what this finds.
    for (const { backupId, projectId, sizeGb, importedAt } of unclaimed)
      await claimImport(recorder, backupId, importedAt, { projectId, sizeGb, defaults, now: this.deps.now().toISOString() });
    await this.request();
  }

  private recorder() {
    const eventId = randomUUID();
    return new JobRecorder(this.deps.store, {
      eventId,
      meta: { correlationId: `quota-${eventId}`, causationId: eventId, userId: 'strata-worker', projectId: 'strata', requestId: eventId },
    });
  }

  private async settleOnce(): Promise<void> {
    const due = this.deps.catalog.quotaClaimsToSettle();
    if (due.length === 0) return;
    const recorder = this.recorder();
    for (const claim of due) {
      const step = settlementOf(claim);
      if (step) await settleQuotaClaim(recorder, claim.projectId, claim.claimId, step, this.deps.now().toISOString());
    }
  }
}
