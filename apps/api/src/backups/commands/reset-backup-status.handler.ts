import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CATALOG, type Catalog } from '@strata/catalog';
import { backupDecider, BackupNotFound, backupStreamId } from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import { eventMetaOf, type Appended } from '../../shared/event-meta';
import { itemScopeOf } from '../../shared/scope';

export class ResetBackupStatusCommand extends Command<Appended> {
  constructor(readonly backupId: string, readonly status: string, readonly now: string, readonly ctx: RequestContext) {
    super();
  }
}

@CommandHandler(ResetBackupStatusCommand)
export class ResetBackupStatusHandler implements ICommandHandler<ResetBackupStatusCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Inject(CATALOG) private readonly catalog: Catalog) {}

  async execute({ backupId, status, now, ctx }: ResetBackupStatusCommand): Promise<Appended> {
    const backup = this.catalog.getBackup(backupId, itemScopeOf(ctx));
    if (!backup) throw new BackupNotFound(backupId);
    const appended = await decideAndAppend(this.store, backupStreamId(backup.id), backupDecider,
      { type: 'ResetBackupStatus', data: { backupId: backup.id, status, now } }, eventMetaOf(ctx));
    return { id: backup.id, position: appended.position };
  }
}
