import { Module } from '@nestjs/common';
import { ServicesModule } from '../services/services.module';
import { VolumeTypesModule } from '../volume-types/volume-types.module';
import { BackupActionsController } from './backup-actions.controller';
import { BackupsController } from './backups.controller';
import { CreateBackupHandler } from './commands/create-backup.handler';
import { DeleteBackupHandler } from './commands/delete-backup.handler';
import { ResetBackupStatusHandler } from './commands/reset-backup-status.handler';
import { RestoreBackupHandler } from './commands/restore-backup.handler';
import { UpdateBackupHandler } from './commands/update-backup.handler';

/** Cinder's backups: create, list, show, update, delete, restore, and the admin actions. */
@Module({
  imports: [VolumeTypesModule, ServicesModule],
  controllers: [BackupsController, BackupActionsController],
  providers: [CreateBackupHandler, DeleteBackupHandler, ResetBackupStatusHandler, RestoreBackupHandler, UpdateBackupHandler],
})
export class BackupsModule {}
