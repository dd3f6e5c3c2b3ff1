import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CATALOG, type Catalog } from '@strata/catalog';
import type { UpdateBackup } from '@strata/domain';
import { EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import type { Appended } from '../../shared/event-meta';
import { QuotaClaims } from '../../shared/quota-claims';
import { decideOnBackup } from './decide-on-backup';

export class UpdateBackupCommand extends Command<Appended> {
  constructor(
    readonly changes: Omit<UpdateBackup['data'], 'now'>,
    readonly now: string,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(UpdateBackupCommand)
export class UpdateBackupHandler implements ICommandHandler<UpdateBackupCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
    private readonly quota: QuotaClaims,
  ) {}

  execute({ changes, now, ctx }: UpdateBackupCommand): Promise<Appended> {
    return decideOnBackup(
      this.store,
      this.catalog,
      ctx,
      changes.backupId,
      (backup) => ({
        type: 'UpdateBackup',
        data: { ...changes, backupId: backup.id, now },
      }),
      this.quota.defaults,
    );
  }
}
