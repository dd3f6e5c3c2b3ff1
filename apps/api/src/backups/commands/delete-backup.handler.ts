import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CATALOG, type Catalog } from '@strata/catalog';
import { EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import type { Appended } from '../../shared/event-meta';
import { QuotaClaims } from '../../shared/quota-claims';
import { ServiceDirectory } from '../../services/service-directory';
import { VolumeKeys } from '../../key-manager/volume-keys';
import { itemScopeOf } from '../../shared/scope';
import { decideOnBackup } from './decide-on-backup';

export class DeleteBackupCommand extends Command<Appended> {
  constructor(
    readonly backupId: string,
    readonly force: boolean,
    readonly now: string,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/**
 * Normal and force delete. The child guard counts live children in every project, unlike Cinder, and
 * children still being created (linked on this backup's stream, not yet in the catalog): an incremental
 * links its parent at the parent's revision, so the two race on that stream and one of them loses.
 */
@CommandHandler(DeleteBackupCommand)
export class DeleteBackupHandler implements ICommandHandler<DeleteBackupCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
    private readonly quota: QuotaClaims,
    private readonly volumeKeys: VolumeKeys,
    private readonly services: ServiceDirectory,
  ) {}

  async execute({ backupId, force, now, ctx }: DeleteBackupCommand): Promise<Appended> {
    const keyId = this.catalog.getBackup(backupId, itemScopeOf(ctx))?.encryptionKeyId ?? null;
    const appended = await decideOnBackup(
      this.store,
      this.catalog,
      ctx,
      backupId,
      (backup) => ({
        type: 'RequestBackupDeletion',
        data: {
          backupId: backup.id,
          force,
          liveChildCount: this.catalog.liveChildCount(backup.id),
          knownChildIds: this.catalog.childIds(backup.id),
          now,
        },
      }),
      this.quota.defaults,
      // Cinder sends the command to a cinder-backup service in the backup's zone: none up and enabled is its 404.
      (backup) => this.services.requireBackupService(new Date(now), backup.availabilityZone),
    );
    // Cinder deletes the backup's key (its own clone) with the backup; the caller's token is only here.
    await this.volumeKeys.discard(ctx, keyId, 'its backup was deleted');
    return appended;
  }
}
