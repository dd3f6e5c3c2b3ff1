import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { backupDecider, backupStreamId, firstEventOfType } from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import { eventMetaOf, type Appended } from '../../shared/event-meta';
import { QuotaClaims } from '../../shared/quota-claims';
import { decodeBackupRecord, importedFieldsOf } from '../backup-record.codec';

export class ImportBackupRecordCommand extends Command<Appended> {
  constructor(
    readonly backupService: string,
    readonly backupUrl: string,
    readonly now: string,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/** Decodes a Cinder export record and records the import on the backup's own stream (a new or a deleted one). */
@CommandHandler(ImportBackupRecordCommand)
export class ImportBackupRecordHandler implements ICommandHandler<ImportBackupRecordCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
    private readonly quota: QuotaClaims,
  ) {}

  async execute({ backupService, backupUrl, now, ctx }: ImportBackupRecordCommand): Promise<Appended> {
    const { backupId, fields } = importedFieldsOf(decodeBackupRecord(backupUrl));
    const appended = await decideAndAppend(
      this.store,
      backupStreamId(backupId),
      backupDecider,
      {
        type: 'ImportBackup',
        data: {
          backupId,
          projectId: ctx.projectId,
          userId: ctx.userId,
          requestedService: backupService,
          service: this.options.backup_driver,
          availabilityZone: this.options.storage_availability_zone,
          fields,
          source: 'record',
          claimsQuota: true,
          now,
        },
      },
      eventMetaOf(ctx),
    );
    // An imported backup counts as Cinder's import reserves it: backups and backup_gigabytes, refused with a 413.
    const imported = firstEventOfType(appended.events, 'BackupImported')?.data;
    if (!imported) return { id: backupId, position: appended.position };
    const position = await this.quota.claimCreation(ctx, 'import', backupId, {
      projectId: imported.projectId,
      sizeGb: imported.sizeGb,
      now: imported.importedAt,
    });
    return { id: backupId, position };
  }
}
