import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CATALOG, type Catalog } from '@strata/catalog';
import { backupDecider, BackupNotFound, backupStreamId } from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import { eventMetaOf, type Appended } from '../../shared/event-meta';
import { itemScopeOf } from '../../shared/scope';

export class DeleteBackupCommand extends Command<Appended> {
  constructor(readonly backupId: string, readonly force: boolean, readonly now: string, readonly ctx: RequestContext) {
    super();
  }
}

/** Normal and force delete. The child guard counts live children in every project, unlike Cinder. */
@CommandHandler(DeleteBackupCommand)
export class DeleteBackupHandler implements ICommandHandler<DeleteBackupCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Inject(CATALOG) private readonly catalog: Catalog) {}

  async execute({ backupId, force, now, ctx }: DeleteBackupCommand): Promise<Appended> {
    const backup = this.catalog.getBackup(backupId, itemScopeOf(ctx));
    if (!backup) throw new BackupNotFound(backupId);
    const liveChildCount = this.catalog.liveChildCount(backup.id);
    const appended = await decideAndAppend(this.store, backupStreamId(backup.id), backupDecider,
      { type: 'RequestBackupDeletion', data: { backupId: backup.id, force, liveChildCount, now } }, eventMetaOf(ctx));
    return { id: backup.id, position: appended.position };
  }
}
