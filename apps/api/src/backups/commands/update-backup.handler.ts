import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CATALOG, type Catalog } from '@strata/catalog';
import { backupDecider, BackupNotFound, backupStreamId, type UpdateBackup } from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import { eventMetaOf, type Appended } from '../../shared/event-meta';
import { itemScopeOf } from '../../shared/scope';

export class UpdateBackupCommand extends Command<Appended> {
  constructor(readonly changes: Omit<UpdateBackup['data'], 'now'>, readonly now: string, readonly ctx: RequestContext) {
    super();
  }
}

@CommandHandler(UpdateBackupCommand)
export class UpdateBackupHandler implements ICommandHandler<UpdateBackupCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Inject(CATALOG) private readonly catalog: Catalog) {}

  async execute({ changes, now, ctx }: UpdateBackupCommand): Promise<Appended> {
    const backup = this.catalog.getBackup(changes.backupId, itemScopeOf(ctx));
    if (!backup) throw new BackupNotFound(changes.backupId);
    const appended = await decideAndAppend(this.store, backupStreamId(backup.id), backupDecider,
      { type: 'UpdateBackup', data: { ...changes, backupId: backup.id, now } }, eventMetaOf(ctx));
    return { id: backup.id, position: appended.position };
  }
}
