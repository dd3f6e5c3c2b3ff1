import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CATALOG, type Catalog } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { BackupNotFound } from '@strata/domain';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { itemScopeOf } from '../shared/scope';
import { CLOCK, type Clock } from '../tokens';
import { backupSummary } from './backup.presenter';
import { ExportBackupRecordCommand } from './commands/export-backup-record.handler';
import { ImportBackupRecordCommand } from './commands/import-backup-record.handler';
import { recordOfBackup } from './records/backup-record';
import { encodeBackupRecord } from './records/backup-record.codec';
import { parseImportRecord } from './records/import-record.schema';

/** Cinder's portable catalog entries: GET …/backups/{id}/export_record and POST …/backups/import_record (admin). */
@Controller(['v3/backups', 'v3/:projectId/backups'])
export class BackupRecordsController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
  ) {}

  @Get(':backupId/export_record')
  async exportRecord(@Ctx() ctx: RequestContext, @Param('backupId') backupId: string) {
    authorize(ctx, 'backup:get');
    authorize(ctx, 'backup:export-import');
    const appended = await this.commandBus.execute(new ExportBackupRecordCommand(backupId, this.clock.now().toISOString(), ctx));
    await this.catalog.waitForPosition(appended.position);
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
  @HttpCode(201)
  async importRecord(@Ctx() ctx: RequestContext, @Body() body: unknown) {
    authorize(ctx, 'backup:backup-import');
    const { backupService, backupUrl } = parseImportRecord(body);
    const appended = await this.commandBus.execute(
      new ImportBackupRecordCommand(backupService, backupUrl, this.clock.now().toISOString(), ctx),
    );
    await this.catalog.waitForPosition(appended.position);
    return { backup: backupSummary(ctx, this.find(ctx, appended.id)) };
  }

  private find(ctx: RequestContext, backupId: string) {
    const backup = this.catalog.getBackup(backupId, itemScopeOf(ctx));
    if (!backup) throw new BackupNotFound(backupId);
    return backup;
  }
}
