import { Inject } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CATALOG, missingAncestorOf, type Catalog } from '@strata/catalog';
import {
  BackupNotFound,
  incompleteChain,
  InvalidBackup,
  InvalidInput,
  InvalidVolume,
  VolumeNotFound,
  volumeDecider,
  volumeStreamId,
} from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import { ServiceDirectory } from '../../services/service-directory';
import { VolumeKeys } from '../../key-manager/volume-keys';
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
  constructor(
    readonly request: RestoreRequest,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/**
 * The first step of the restore workflow, and the only one the request waits for. Into an existing
 * volume: the `restoring-backup` lock, taken at the volume's revision (Cinder's refusals: not available,
 * too small). Into a new volume: the volume, created for the restore, whose provisioning takes the lock
 * in the same append (the answer waits for that, as Cinder's API waits for the volume). The worker's workflow
 * (libs/workflows/src/restore-request.ts) then records the restore on the backup, or gives the
 * lock back when the backup stopped being available in between.
 */
@CommandHandler(RestoreBackupCommand)
export class RestoreBackupHandler implements ICommandHandler<RestoreBackupCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
    private readonly commandBus: CommandBus,
    private readonly volumeTypes: VolumeTypeLookup,
    private readonly services: ServiceDirectory,
    private readonly volumeKeys: VolumeKeys,
  ) {}

  async execute({ request: r, ctx }: RestoreBackupCommand): Promise<RestoreAccepted> {
    const scope = itemScopeOf(ctx);
    const backup = this.catalog.getBackup(r.backupId, scope);
    if (!backup) throw new BackupNotFound(r.backupId);
    if (backup.status !== 'available') throw new InvalidBackup('Backup status must be available');
    const missingParent = missingAncestorOf(this.catalog.backupChain(backup.id));
    if (missingParent) throw incompleteChain(backup.id, missingParent);
    if (r.volumeId === null) {
      await this.services.requireBackupService(new Date(r.now), backup.availabilityZone);
      return this.intoNewVolume(r, backup.size, backup.encryptionKeyId, ctx);
    }
    const target = this.catalog.getVolume(r.volumeId, scope);
    if (!target) throw new VolumeNotFound(r.volumeId);
    // Cinder gives the restored volume a clone of the backup's key in place of its own; a volume's key is
    // fixed in Strata's log, so with a key manager an encrypted backup is restored into a new volume only.
    if (this.volumeKeys.enabled && backup.encryptionKeyId !== null)
      throw new InvalidInput(
        'Invalid input received: An encrypted backup is restored into a new volume only: Strata cannot replace the key of an existing volume.',
      );
    await this.services.requireBackupService(new Date(r.now), backup.availabilityZone);
    const appended = await decideAndAppend(
      this.store,
      volumeStreamId(target.id),
      volumeDecider,
      {
        type: 'StartVolumeRestore',
        data: {
          volumeId: target.id,
          backupId: backup.id,
          backupSizeGb: backup.size,
          backupSizeBytes: backup.sizeBytes,
          volumeIsNew: false,
          now: r.now,
        },
      },
      eventMetaOf(ctx),
    );
    return { id: backup.id, volumeId: target.id, volumeName: target.name, position: appended.position };
  }

  private async intoNewVolume(
    r: RestoreRequest,
    sizeGb: number,
    backupKeyId: string | null,
    ctx: RequestContext,
  ): Promise<RestoreAccepted> {
    // Cinder's restore creates the volume without a type: it gets the default one, not the backed-up volume's.
    const type = this.volumeTypes.forNewVolume(ctx, null, { sizeGb, encryptionKeyId: null });
    const name = r.name ?? `restore_backup_${r.backupId}`;
    // Every restored volume gets its own clone of the backup's key (Cinder's _run_restore); none without a key manager.
    const keyId = this.volumeKeys.enabled ? await this.volumeKeys.cloneOf(ctx, backupKeyId) : null;
    const created = await this.commandBus
      .execute(
        new CreateVolumeCommand(
          {
            volumeId: r.newVolumeId,
            name,
            description: 'auto-created_from_restore_from_backup',
            sizeGb,
            availabilityZone: 'nova',
            ...type,
            encryptionKeyId: keyId,
            metadata: {},
            source: { kind: 'blank' },
            createdAt: r.now,
            restoreOf: { backupId: r.backupId },
          },
          ctx,
        ),
      )
      .catch(async (e: unknown) => {
        await this.volumeKeys.discard(ctx, keyId, 'the restore was refused');
        throw e;
      });
    // Cinder's API answers once the new volume is ready and locked: so does this, from the catalog. The
    // workflow does the work either way; a volume that failed to be created is Cinder's refusal, and one
    // still being created after the wait is answered as accepted, since the workflow will restore it.
    const volume = await waitUntil(
      () => this.catalog.getVolume(created.id, itemScopeOf(ctx)),
      (v) => v !== null && v.status !== 'creating',
    );
    if (volume?.status === 'error')
      throw new InvalidVolume(`Error while creating volume ${created.id} for restoring backup ${r.backupId}.`);
    return { id: r.backupId, volumeId: created.id, volumeName: name, position: created.position };
  }
}
