import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CATALOG, type Catalog } from '@strata/catalog';
import { EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import type { Appended } from '../../shared/event-meta';
import { QuotaClaims } from '../../shared/quota-claims';
import { decideOnBackup } from '../../backups/commands/decide-on-backup';

export class RequestBackupVerificationCommand extends Command<Appended> {
  constructor(
    readonly backupId: string,
    readonly verificationId: string,
    readonly now: string,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/** Asks the worker to verify the backup's chain; the outcome arrives later as BackupVerified or BackupVerificationFailed. */
@CommandHandler(RequestBackupVerificationCommand)
export class RequestBackupVerificationHandler implements ICommandHandler<RequestBackupVerificationCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
    private readonly quota: QuotaClaims,
  ) {}

  execute({ backupId, verificationId, now, ctx }: RequestBackupVerificationCommand): Promise<Appended> {
    return decideOnBackup(
      this.store,
      this.catalog,
      ctx,
      backupId,
      (backup) => ({
        type: 'RequestBackupVerification',
        data: { backupId: backup.id, verificationId, now },
      }),
      this.quota.defaults,
    );
  }
}
