import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CATALOG, type Catalog } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { BackupNotFound } from '@strata/domain';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { itemScopeOf } from '../shared/scope';
import { CLOCK, type Clock } from '../tokens';
import { backupSummary } from '../backups/backup.presenter';
import { ExportBackupRecordCommand } from './commands/export-backup-record.handler';
import { ImportBackupRecordCommand } from './commands/import-backup-record.handler';
import { recordOfBackup } from './backup-record';
import { encodeBackupRecord } from './backup-record.codec';
import { CinderBody } from '../validation/cinder-body';
import { BACKUP_RECORD_IMPORT_BODY, type BackupRecordImport } from '../backups/backup-requests.dto';
import { ApiDoc } from '../operations/api-doc';
import { ApiTags } from '@nestjs/swagger';
import { Commands } from '../shared/commands';

/** Cinder's portable catalog entries: GET …/backups/{id}/export_record and POST …/backups/import_record (admin). */
@ApiTags('Backups')
@Controller(['v3/backups', 'v3/:projectId/backups'])
export class BackupRecordsController {
  constructor(
    private readonly commands: Commands,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
  ) {}

  @Get(':backupId/export_record')
  @ApiDoc("Cinder's export record: backup_service and backup_url (admin)", {
    200: 'BackupRecordEnvelope',
    400: 'Fault',
    403: 'Fault',
    404: 'Fault',
  })
  async exportRecord(@Ctx() ctx: RequestContext, @Param('backupId') backupId: string) {
    authorize(ctx, 'backup:get');
    authorize(ctx, 'backup:export-import');
    const appended = await this.commands.execute(new ExportBackupRecordCommand(backupId, this.clock.now().toISOString(), ctx));
    const backup = this.find(ctx, appended.id);
    const service = backup.service ?? this.options.backup_driver;
    return {
      'backup-record': {
        backup_service: service,
        backup_url: encodeBackupRecord(recordOfBackup(backup, this.catalog.dependentBackupCount(backup.id), service)),
      },
    };
  }

  @Post('import_record')
  @ApiDoc('Import a Cinder export record (admin)', { 201: 'BackupSummaryEnvelope', 400: 'Fault', 403: 'Fault' })
  @HttpCode(201)
  async importRecord(@Ctx() ctx: RequestContext, @CinderBody(BACKUP_RECORD_IMPORT_BODY) body: { 'backup-record': BackupRecordImport }) {
    authorize(ctx, 'backup:backup-import');
    const { backup_service: backupService, backup_url: backupUrl } = body['backup-record'];
    const appended = await this.commands.execute(
      new ImportBackupRecordCommand(backupService, backupUrl, this.clock.now().toISOString(), ctx),
    );
    return { backup: backupSummary(ctx, this.find(ctx, appended.id)) };
  }

  private find(ctx: RequestContext, backupId: string) {
    const backup = this.catalog.getBackup(backupId, itemScopeOf(ctx));
    if (!backup) throw new BackupNotFound(backupId);
    return backup;
  }
}
