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
import type { RequestContext } from '../../context/request-context';
import { VolumeKeys } from '../../key-manager/volume-keys';
import { eventMetaOf, type Appended } from '../../shared/event-meta';
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
 * taken at its revision carrying it. Every synchronous refusal Cinder gives happens here; the worker's
 * workflow (libs/workflows/src/backup-creation.ts) links an incremental to its parent and records
 * the backup, and the catalog shows it `creating` from the lock on.
 */
@CommandHandler(CreateBackupCommand)
export class CreateBackupHandler implements ICommandHandler<CreateBackupCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
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
        availabilityZone: r.availabilityZone ?? this.options.storage_availability_zone,
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
    return { id: r.backupId, position: appended.position };
  }
}
