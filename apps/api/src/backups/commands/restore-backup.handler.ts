import { Inject } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CATALOG, missingAncestorOf, type Catalog } from '@strata/catalog';
import { backupDecider, BackupNotFound, backupStreamId, incompleteChain, InvalidBackup, InvalidVolume, VolumeNotFound, volumeDecider, volumeStreamId } from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import { eventMetaOf, type Appended } from '../../shared/event-meta';
import { itemScopeOf } from '../../shared/scope';
import { waitUntil } from '../../shared/wait-until';
import { CreateVolumeCommand } from '../../volumes/commands/create-volume.handler';
import { VolumeTypeLookup } from '../../volume-types/volume-type-lookup';

export interface RestoreRequest {
  readonly backupId: string;
  /** null: restore into a new volume of the backup's size, as Cinder does. */
  readonly volumeId: string | null;
  readonly name: string | null;
  readonly newVolumeId: string;
  readonly now: string;
}

export interface RestoreAccepted extends Appended {
  readonly volumeId: string;
  readonly volumeName: string | null;
}

export class RestoreBackupCommand extends Command<RestoreAccepted> {
  constructor(readonly request: RestoreRequest, readonly ctx: RequestContext) {
    super();
  }
}

/**
 * Locks the target volume as `restoring-backup`, then records the restore on the backup. A new target
 * is created first and waited for, as Cinder's API does; a refused restore releases the lock.
 */
@CommandHandler(RestoreBackupCommand)
export class RestoreBackupHandler implements ICommandHandler<RestoreBackupCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
    private readonly commandBus: CommandBus,
    private readonly volumeTypes: VolumeTypeLookup,
  ) {}

  async execute({ request: r, ctx }: RestoreBackupCommand): Promise<RestoreAccepted> {
    const scope = itemScopeOf(ctx);
    const backup = this.catalog.getBackup(r.backupId, scope);
    if (!backup) throw new BackupNotFound(r.backupId);
    if (backup.status !== 'available') throw new InvalidBackup('Backup status must be available');
    const missingParent = missingAncestorOf(this.catalog.backupChain(backup.id));
    if (missingParent) throw incompleteChain(backup.id, missingParent);
    const target = r.volumeId ? this.catalog.getVolume(r.volumeId, scope) : await this.createTarget(r, backup.size, ctx);
    if (!target) throw new VolumeNotFound(r.volumeId!);
    const meta = eventMetaOf(ctx);
    await decideAndAppend(this.store, volumeStreamId(target.id), volumeDecider,
      { type: 'StartVolumeRestore', data: {
        volumeId: target.id, backupId: backup.id, backupSizeGb: backup.size, backupSizeBytes: backup.sizeBytes, now: r.now,
      } }, meta);
    try {
      const appended = await decideAndAppend(this.store, backupStreamId(backup.id), backupDecider,
        { type: 'RequestRestore', data: { backupId: backup.id, volumeId: target.id, volumeIsNew: r.volumeId === null, now: r.now } }, meta);
      return { id: backup.id, volumeId: target.id, volumeName: target.name, position: appended.position };
    } catch (error) {
      await decideAndAppend(this.store, volumeStreamId(target.id), volumeDecider,
        { type: 'EndVolumeRestore', data: { volumeId: target.id, backupId: backup.id, outcome: 'aborted', now: r.now } }, meta);
      throw error;
    }
  }

  private async createTarget(r: RestoreRequest, sizeGb: number, ctx: RequestContext) {
    // Cinder's restore creates the volume without a type: it gets the default one, not the backed-up volume's.
    const type = this.volumeTypes.forNewVolume(ctx, null, { sizeGb, encryptionKeyId: null });
    const created = await this.commandBus.execute(new CreateVolumeCommand({
      volumeId: r.newVolumeId, name: r.name ?? `restore_backup_${r.backupId}`, description: 'auto-created_from_restore_from_backup',
      sizeGb, availabilityZone: 'nova', ...type, encryptionKeyId: null, metadata: {}, source: { kind: 'blank' }, createdAt: r.now,
    }, ctx));
    await this.catalog.waitForPosition(created.position);
    const volume = await waitUntil(() => this.catalog.getVolume(created.id, itemScopeOf(ctx)), (v) => v !== null && v.status !== 'creating');
    if (!volume || volume.status !== 'available')
      throw new InvalidVolume(`Error while creating volume ${created.id} for restoring backup ${r.backupId}.`);
    return volume;
  }
}
