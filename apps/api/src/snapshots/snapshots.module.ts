import { Module } from '@nestjs/common';
import { CreateSnapshotHandler } from './commands/create-snapshot.handler';
import { DeleteSnapshotHandler } from './commands/delete-snapshot.handler';
import { SnapshotsController } from './snapshots.controller';

/** Snapshots of volumes, which backups may be taken from. */
@Module({
  controllers: [SnapshotsController],
  providers: [CreateSnapshotHandler, DeleteSnapshotHandler],
})
export class SnapshotsModule {}
