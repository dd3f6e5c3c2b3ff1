import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CATALOG, type Catalog, type VolumeRow } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import {
  backupDecider,
  initialBackupState,
  SnapshotNotFound,
  snapshotDecider,
  snapshotStreamId,
  VolumeNotFound,
  volumeDecider,
  volumeStreamId,
  type RequestBackup,
} from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import { backupQuotaAmounts, endBackupLock } from '@strata/workflows';
import type { RequestContext } from '../../context/request-context';
import { HttpFault } from '../../errors/cinder-fault';
import { ServiceDirectory } from '../../services/service-directory';
import { VolumeKeys } from '../../key-manager/volume-keys';
import { eventMetaOf, type Appended } from '../../shared/event-meta';
import { QuotaClaims } from '../../shared/quota-claims';
import { itemScopeOf } from '../../shared/scope';

export interface CreateBackupRequest {
  readonly backupId: string;
  readonly volumeId: string;
  readonly snapshotId: string | null;
  readonly name: string | null;
  readonly description: string | null;
  readonly container: string | null;
  readonly incremental: boolean;
  readonly force: boolean;
  readonly metadata: Record<string, string>;
  readonly availabilityZone: string | null;
  readonly now: string;
}

export class CreateBackupCommand extends Command<Appended> {
  constructor(
    readonly request: CreateBackupRequest,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/**
 * The first step of the backup-creation workflow, and the only one the request waits for: the backup is
 * decided (RequestBackup, on a new stream) and the `backing-up` lock on the volume, or the snapshot, is
 * taken at its revision carrying it, then the backup's claim on the project's quota. Every synchronous
 * refusal Cinder gives happens here (a quota refusal gives the lock back and is a 413); the worker's
 * workflow (libs/workflows/src/backup-creation.ts) links an incremental to its parent and records
 * the backup, and the catalog shows it `creating` from the lock on.
 */
@CommandHandler(CreateBackupCommand)
export class CreateBackupHandler implements ICommandHandler<CreateBackupCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
    private readonly services: ServiceDirectory,
    private readonly quota: QuotaClaims,
    private readonly volumeKeys: VolumeKeys,
  ) {}

  async execute({ request: r, ctx }: CreateBackupCommand): Promise<Appended> {
    const scope = itemScopeOf(ctx);
    const volume = this.catalog.getVolume(r.volumeId, scope);
    if (!volume) throw new VolumeNotFound(r.volumeId);
    // Cinder's backup carries a clone of its volume's key, so that deleting either leaves the other usable.
    const backupKeyId = await this.volumeKeys.cloneOf(ctx, volume.encryptionKeyId);
    try {
      return await this.decide(r, ctx, { ...volume, encryptionKeyId: backupKeyId });
    } catch (e) {
      if (backupKeyId !== volume.encryptionKeyId) await this.volumeKeys.discard(ctx, backupKeyId, 'the backup create was refused');
      throw e;
    }
  }

  private async decide(r: CreateBackupRequest, ctx: RequestContext, volume: VolumeRow): Promise<Appended> {
    const scope = itemScopeOf(ctx);
    const snapshot = r.snapshotId ? this.catalog.getSnapshot(r.snapshotId, scope) : null;
    if (r.snapshotId && !snapshot) throw new SnapshotNotFound(r.snapshotId);
    // Cinder's `_get_available_backup_service_host`: a cinder-backup service up and enabled, in the zone
    // asked for (3.51) when one is; none is the 503 its API answers for ServiceNotFound on create.
    const service = await this.services.availableBackupService(new Date(r.now), r.availabilityZone);
    if (!service) throw new HttpFault(503, 'Service cinder-backup could not be found.');
    const newestAvailable = r.incremental
      ? this.catalog.newestAvailableBackup(volume.id, ctx.projectId, { dataTimestampBefore: snapshot?.createdAt })
      : null;
    const command: RequestBackup = {
      type: 'RequestBackup',
      data: {
        backupId: r.backupId,
        projectId: ctx.projectId,
        userId: ctx.userId,
        name: r.name,
        description: r.description,
        container: r.container,
        incremental: r.incremental,
        force: r.force,
        volume: { id: volume.id, sizeGb: volume.size, encryptionKeyId: volume.encryptionKeyId },
        snapshot: snapshot ? { id: snapshot.id, createdAt: snapshot.createdAt } : null,
        newestAvailable: newestAvailable ? { id: newestAvailable.id } : null,
        availabilityZone: r.availabilityZone ?? service.zone,
        metadata: r.metadata,
        service: this.options.backup_driver,
        now: r.now,
      },
    };
    // The id is new (generated here), so the backup is decided on an empty stream; the workflow records it.
    const [requested] = backupDecider.decide(command, initialBackupState());
    if (requested?.type !== 'BackupRequested') throw new Error('RequestBackup decided no BackupRequested');
    const lock = { backupId: r.backupId, now: r.now, backup: requested.data };
    const appended = snapshot
      ? await decideAndAppend(
          this.store,
          snapshotStreamId(snapshot.id),
          snapshotDecider,
          { type: 'StartSnapshotBackup', data: { ...lock, snapshotId: snapshot.id, volumeId: volume.id } },
          eventMetaOf(ctx),
        )
      : await decideAndAppend(
          this.store,
          volumeStreamId(volume.id),
          volumeDecider,
          { type: 'StartVolumeBackup', data: { ...lock, volumeId: volume.id, force: r.force } },
          eventMetaOf(ctx),
        );
    // The workflow's second step, also in the request: the claim on the project's quota (Cinder reserves
    // before it accepts). Refused, the lock is given back and the backup never was: a 413.
    const lockRef = snapshot ? { kind: 'snapshot' as const, id: snapshot.id } : { kind: 'volume' as const, id: volume.id };
    const claim = await this.quota.claim(ctx, ctx.projectId, { kind: 'backup', id: r.backupId }, backupQuotaAmounts(volume.size), r.now);
    if (!claim.accepted) {
      const ended = await endBackupLock(this.quota.recorderFor(ctx), r.backupId, lockRef, 'cancelled', r.now);
      return this.quota.refuse(claim, ended.position);
    }
    return { id: r.backupId, position: claim.position > appended.position ? claim.position : appended.position };
  }
}
