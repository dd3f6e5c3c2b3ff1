import { Module } from '@nestjs/common';
import { ServicesModule } from '../services/services.module';
import { BackupRecordsController } from './backup-records.controller';
import { ExportBackupRecordHandler } from './commands/export-backup-record.handler';
import { ImportBackupRecordHandler } from './commands/import-backup-record.handler';

/** Cinder's portable backup records: export_record and import_record. */
@Module({
  imports: [ServicesModule],
  controllers: [BackupRecordsController],
  providers: [ExportBackupRecordHandler, ImportBackupRecordHandler],
})
export class RecordsModule {}
