import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CATALOG, type Catalog } from '@strata/catalog';
import { EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import type { Appended } from '../../shared/event-meta';
import { QuotaClaims } from '../../shared/quota-claims';
import { ServiceDirectory } from '../../services/service-directory';
import { decideOnBackup } from './decide-on-backup';

export class ResetBackupStatusCommand extends Command<Appended> {
  constructor(
    readonly backupId: string,
    readonly status: string,
    readonly now: string,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(ResetBackupStatusCommand)
export class ResetBackupStatusHandler implements ICommandHandler<ResetBackupStatusCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
    private readonly quota: QuotaClaims,
    private readonly services: ServiceDirectory,
  ) {}

  execute({ backupId, status, now, ctx }: ResetBackupStatusCommand): Promise<Appended> {
    return decideOnBackup(
      this.store,
      this.catalog,
      ctx,
      backupId,
      (backup) => ({
        type: 'ResetBackupStatus',
        data: { backupId: backup.id, status, now },
      }),
      this.quota.defaults,
      // Cinder sends the command to a cinder-backup service in the backup's zone: none up and enabled is its 404.
      (backup) => this.services.requireBackupService(new Date(now), backup.availabilityZone),
    );
  }
}
