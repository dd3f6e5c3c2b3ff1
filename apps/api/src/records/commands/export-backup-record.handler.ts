import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CATALOG, type Catalog } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import type { Appended } from '../../shared/event-meta';
import { QuotaClaims } from '../../shared/quota-claims';
import { ServiceDirectory } from '../../services/service-directory';
import { decideOnBackup } from '../../backups/commands/decide-on-backup';

export class ExportBackupRecordCommand extends Command<Appended> {
  constructor(
    readonly backupId: string,
    readonly now: string,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/** Records who took the record; the record itself is built from the catalog row once the event shows there. */
@CommandHandler(ExportBackupRecordCommand)
export class ExportBackupRecordHandler implements ICommandHandler<ExportBackupRecordCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
    private readonly quota: QuotaClaims,
    private readonly services: ServiceDirectory,
  ) {}

  execute({ backupId, now, ctx }: ExportBackupRecordCommand): Promise<Appended> {
    return decideOnBackup(
      this.store,
      this.catalog,
      ctx,
      backupId,
      (backup) => ({
        type: 'ExportBackupRecord',
        data: { backupId: backup.id, backupService: backup.service ?? this.options.backup_driver, now },
      }),
      this.quota.defaults,
      // Cinder sends the command to a cinder-backup service in the backup's zone: none up and enabled is its 404.
      (backup) => this.services.requireBackupService(new Date(now), backup.availabilityZone),
    );
  }
}
