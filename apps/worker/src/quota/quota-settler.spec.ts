import {
  at,
  backupIdOf,
  backupRequested,
  backupStarted,
  event,
  openTestCatalog,
  PROJECT,
  type TestCatalog,
  VOLUME,
  volumeCreated,
  volumeProvisioned,
} from '@strata/catalog/testing/catalog-fixtures';
import { quotaStreamId, type QuotaEvent } from '@strata/domain';
import type { EventStore } from '@strata/event-store';
import { killableStore } from '@strata/workflows/testing/killable-store';
import { QuotaSettler } from './quota-settler';

const unlimited = { quota_volumes: -1, quota_gigabytes: -1, quota_snapshots: -1, quota_backups: -1, quota_backup_gigabytes: -1 };
const claimOf = (n: number) => `backup:${backupIdOf(n)}`;
const reserved = (n: number): QuotaEvent =>
  event('QuotaReserved', {
    projectId: PROJECT,
    claimId: claimOf(n),
    subject: { kind: 'backup', id: backupIdOf(n) },
    amounts: { backups: 1, backup_gigabytes: 1 },
    reservedAt: at(10),
  });
/** A backup with its claim reserved, then its job's outcome: the last thing a worker killed before the settlement appended. */
const claimedBackup = (n: number, outcome: 'completed' | 'failed') => {
  const backupId = backupIdOf(n);
  return [
    backupRequested({ backupId }),
    reserved(n),
    backupStarted(backupId),
    outcome === 'completed'
      ? event('BackupCompleted', { backupId, objectCount: 1, sizeBytes: 1 << 30, storedBytes: 100, completedAt: at(13) })
      : event('BackupFailed', { backupId, reason: 'the source could not be read', failedAt: at(13) }),
  ];
};

/**
 * The last step of a creation's quota claim is the settler's: commit once the subject is created,
 * release once it failed or is gone. A worker killed between the job's outcome and the settlement, or
 * in the middle of settling, leaves claims still `reserved` whose subjects have ended. The settler of
 * the next process finds them in the catalog at its first sweep, whatever time it is, and settles each
 * once: every settlement is keyed by its claim.
 */
describe('QuotaSettler: claims left unsettled by a killed worker', () => {
  let t: TestCatalog;
  const settler = (store: EventStore = t.store) =>
    new QuotaSettler({ store, catalog: t.catalog, options: unlimited, now: () => new Date(at(20)) });
  const settlements = async () => {
    const steps: string[] = [];
    for await (const e of t.store.readStream(quotaStreamId(PROJECT)))
      if (e.type !== 'QuotaReserved') steps.push(`${e.type} ${(e.data as { claimId: string }).claimId}`);
    return steps;
  };
  const caughtUp = async () => t.catalog.waitForPosition(await t.store.headPosition());

  beforeEach(() => {
    t = openTestCatalog();
  });
  afterEach(() => t.close());

  it('killed after a backup completed: the next sweep commits its claim, once', async () => {
    await t.given(claimedBackup(1, 'completed'));

    await settler().sweep();
    await caughtUp();
    await settler().sweep();

    expect(await settlements()).toEqual([`QuotaCommitted ${claimOf(1)}`]);
    expect(t.catalog.projectQuotaUsage(PROJECT)).toMatchObject({ inUse: { backups: 1 }, reserved: { backups: 0 } });
  });

  it('killed after a backup failed: the next sweep releases its claim, once', async () => {
    await t.given(claimedBackup(1, 'failed'));

    await settler().sweep();
    await caughtUp();
    await settler().sweep();

    expect(await settlements()).toEqual([`QuotaReleased ${claimOf(1)}`]);
    expect(t.catalog.projectQuotaUsage(PROJECT)).toMatchObject({ inUse: { backups: 0 }, reserved: { backups: 0 } });
  });

  it('killed after a volume was provisioned, then after it was deleted: commit, then release, each once', async () => {
    const claim = `volume:${VOLUME}`;
    const volumeReserved = event('QuotaReserved', {
      projectId: PROJECT,
      claimId: claim,
      subject: { kind: 'volume', id: VOLUME },
      amounts: { volumes: 1, gigabytes: 1 },
      reservedAt: at(0),
    });
    await t.given([volumeCreated(), volumeReserved, volumeProvisioned()]);
    await settler().sweep();
    await t.given([
      event('VolumeDeletionRequested', { volumeId: VOLUME, requestedAt: at(30) }),
      event('VolumeDeleted', { volumeId: VOLUME, deletedAt: at(31) }),
    ]);

    await settler().sweep();
    await caughtUp();
    await settler().sweep();

    expect(await settlements()).toEqual([`QuotaCommitted ${claim}`, `QuotaReleased ${claim}`]);
  });

  it('killed in the middle of settling: the next sweep settles the rest, and what was settled is not settled again', async () => {
    await t.given([...claimedBackup(1, 'completed'), ...claimedBackup(2, 'failed')]);
    // Dies right after the first settlement (the settler logs the failure; the process is gone anyway).
    await settler(killableStore(t.store, { after: 'QuotaCommitted' })).request();
    expect(await settlements()).toEqual([`QuotaCommitted ${claimOf(1)}`]);

    // Its catalog may not have applied that settlement yet: the keyed step then finds it in the log and records nothing.
    await settler().sweep();
    await caughtUp();
    await settler().sweep();

    expect(await settlements()).toEqual([`QuotaCommitted ${claimOf(1)}`, `QuotaReleased ${claimOf(2)}`]);
  });

  it('two workers sweeping at once after the restart: each claim settled once', async () => {
    await t.given([...claimedBackup(1, 'completed'), ...claimedBackup(2, 'failed')]);

    await Promise.all([settler().sweep(), settler().sweep()]);

    expect((await settlements()).sort()).toEqual([`QuotaCommitted ${claimOf(1)}`, `QuotaReleased ${claimOf(2)}`].sort());
  });
});
