import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CATALOG, type Catalog } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import {
  backupDecider, backupStreamId, initialBackupState, SnapshotNotFound, snapshotDecider, snapshotStreamId,
  VolumeNotFound, volumeDecider, volumeStreamId, type RequestBackup,
} from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
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
  constructor(readonly request: CreateBackupRequest, readonly ctx: RequestContext) {
    super();
  }
}

/**
 * Takes the `backing-up` lock on the volume (or the snapshot) at its expected revision, links an
 * incremental to its parent at the parent's revision, then records the backup. Whatever refuses the
 * request undoes what was taken before it, so a refused request leaves no lock or link behind.
 */
@CommandHandler(CreateBackupCommand)
export class CreateBackupHandler implements ICommandHandler<CreateBackupCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
  ) {}

  async execute({ request: r, ctx }: CreateBackupCommand): Promise<Appended> {
    const scope = itemScopeOf(ctx);
    const volume = this.catalog.getVolume(r.volumeId, scope);
    if (!volume) throw new VolumeNotFound(r.volumeId);
    const snapshot = r.snapshotId ? this.catalog.getSnapshot(r.snapshotId, scope) : null;
    if (r.snapshotId && !snapshot) throw new SnapshotNotFound(r.snapshotId);
    const newestAvailable = r.incremental
      ? this.catalog.newestAvailableBackup(volume.id, ctx.projectId, { dataTimestampBefore: snapshot?.createdAt })
      : null;
    const command: RequestBackup = {
      type: 'RequestBackup',
      data: {
        backupId: r.backupId, projectId: ctx.projectId, userId: ctx.userId, name: r.name, description: r.description,
        container: r.container, incremental: r.incremental, force: r.force,
        volume: { id: volume.id, sizeGb: volume.size, encryptionKeyId: volume.encryptionKeyId },
        snapshot: snapshot ? { id: snapshot.id, createdAt: snapshot.createdAt } : null,
        newestAvailable: newestAvailable ? { id: newestAvailable.id } : null,
        availabilityZone: r.availabilityZone ?? this.options.storage_availability_zone,
        metadata: r.metadata, service: this.options.backup_driver, now: r.now,
      },
    };
    backupDecider.decide(command, initialBackupState());
    const meta = eventMetaOf(ctx);
    const lock = { backupId: r.backupId, now: r.now };
    if (snapshot)
      await decideAndAppend(this.store, snapshotStreamId(snapshot.id), snapshotDecider,
        { type: 'StartSnapshotBackup', data: { ...lock, snapshotId: snapshot.id, volumeId: volume.id } }, meta);
    else
      await decideAndAppend(this.store, volumeStreamId(volume.id), volumeDecider,
        { type: 'StartVolumeBackup', data: { ...lock, volumeId: volume.id, force: r.force } }, meta);
    const parentId = newestAvailable?.id ?? null;
    try {
      if (parentId) await this.parentLink(parentId, r, meta, 'AddBackupChild');
    } catch (error) {
      await this.releaseLock(volume.id, snapshot?.id ?? null, r, meta);
      throw error;
    }
    try {
      const appended = await decideAndAppend(this.store, backupStreamId(r.backupId), backupDecider, command, meta);
      return { id: r.backupId, position: appended.position };
    } catch (error) {
      if (parentId) await this.parentLink(parentId, r, meta, 'RemoveBackupChild');
      await this.releaseLock(volume.id, snapshot?.id ?? null, r, meta);
      throw error;
    }
  }

  /** The incremental's claim on its parent, at the parent's revision: a deletion that got there first wins. */
  private parentLink(parentId: string, r: CreateBackupRequest, meta: ReturnType<typeof eventMetaOf>, type: 'AddBackupChild' | 'RemoveBackupChild') {
    return decideAndAppend(this.store, backupStreamId(parentId), backupDecider, { type, data: { backupId: parentId, childId: r.backupId, now: r.now } }, meta);
  }

  private async releaseLock(volumeId: string, snapshotId: string | null, r: CreateBackupRequest, meta: ReturnType<typeof eventMetaOf>) {
    const end = { backupId: r.backupId, outcome: 'failed' as const, now: r.now };
    if (snapshotId)
      await decideAndAppend(this.store, snapshotStreamId(snapshotId), snapshotDecider, { type: 'EndSnapshotBackup', data: { ...end, snapshotId } }, meta);
    else await decideAndAppend(this.store, volumeStreamId(volumeId), volumeDecider, { type: 'EndVolumeBackup', data: { ...end, volumeId } }, meta);
  }
}
