import type { BackupEvent, JobLeaseEvent } from '@strata/domain';
import type { RecordedEvent } from '@strata/event-store';
import { eventTime } from './event-time';
import { type Projection, type ProjectionTx } from './projection';

const GIB = 1024 ** 3;

/**
 * Running backups and restores with their progress, for `/strata/v1` and the CLI's progress bars.
 * A row lives from the request to the event that ends the job. A restore's size is known only once the
 * worker has read the chain: `bytes_total` stays NULL until its first `RestoreProgressed`.
 */
export const jobsProjection: Projection<BackupEvent | JobLeaseEvent> = {
  name: 'jobs',
  handles: [
    'BackupRequested',
    'ChunkWritten',
    'BackupCompleted',
    'BackupFailed',
    'BackupCancelled',
    'BackupDeleted',
    'BackupStatusReset',
    'RestoreRequested',
    'RestoreCompleted',
    'RestoreFailed',
    'RestoreCancelled',
    'RestoreProgressed',
    'JobLeaseAcquired',
    'JobLeaseRenewed',
  ],
  apply(tx: ProjectionTx, e: BackupEvent | JobLeaseEvent, recorded: RecordedEvent) {
    if (e.type === 'JobLeaseAcquired' || e.type === 'JobLeaseRenewed') return applyLease(tx, e);
    if (e.type === 'JobLeaseReleased') return;
    const pos = recorded.position;
    const at = eventTime(e);
    const end = (kind: 'backup' | 'restore') =>
      tx.run('DELETE FROM jobs WHERE backup_id = @id AND kind = @kind', { id: e.data.backupId, kind });
    switch (e.type) {
      case 'BackupRequested':
        tx.run(
          `INSERT INTO jobs (backup_id, kind, volume_id, bytes_done, bytes_total, objects_done, started_at, updated_at,
             last_event_position)
           VALUES (@id, 'backup', @volumeId, 0, @total, 0, @at, @at, @pos)
           ON CONFLICT (backup_id, kind) DO NOTHING`,
          { id: e.data.backupId, volumeId: e.data.volumeId, total: e.data.sizeGb * GIB, at, pos },
        );
        return;
      case 'ChunkWritten': {
        const d = e.data;
        // Objects arrive in order but an incremental skips unchanged chunks: the furthest byte is the progress.
        tx.run(
          `UPDATE jobs SET bytes_done = MAX(bytes_done, @scannedTo), objects_done = MAX(objects_done, @objectIndex),
             updated_at = @at, last_event_position = @pos
           WHERE backup_id = @id AND kind = 'backup' AND last_event_position < @pos`,
          { id: d.backupId, scannedTo: d.offsetBytes + d.lengthBytes, objectIndex: d.objectIndex, at, pos },
        );
        return;
      }
      case 'BackupCompleted':
      case 'BackupFailed':
      case 'BackupCancelled':
      case 'BackupStatusReset': // a reset of a creating backup stops its job: the worker records nothing more
        end('backup');
        return;
      case 'BackupDeleted':
        end('backup');
        end('restore');
        return;
      case 'RestoreRequested':
        tx.run(
          `INSERT INTO jobs (backup_id, kind, volume_id, bytes_done, bytes_total, objects_done, started_at, updated_at,
             last_event_position)
           VALUES (@id, 'restore', @volumeId, 0, NULL, 0, @at, @at, @pos)
           ON CONFLICT (backup_id, kind) DO UPDATE SET volume_id = excluded.volume_id, bytes_done = 0,
             bytes_total = NULL, objects_done = 0, started_at = excluded.started_at, updated_at = excluded.updated_at,
             last_event_position = excluded.last_event_position
           WHERE jobs.last_event_position < excluded.last_event_position`,
          { id: e.data.backupId, volumeId: e.data.volumeId, at, pos },
        );
        return;
      case 'RestoreProgressed': {
        const d = e.data;
        tx.run(
          `UPDATE jobs SET bytes_done = MAX(bytes_done, @bytesDone), bytes_total = @bytesTotal,
             objects_done = MAX(objects_done, @objectsDone), updated_at = @at, last_event_position = @pos
           WHERE backup_id = @id AND kind = 'restore' AND volume_id = @volumeId AND last_event_position < @pos`,
          { id: d.backupId, volumeId: d.volumeId, bytesDone: d.bytesDone, bytesTotal: d.bytesTotal, objectsDone: d.objectsDone, at, pos },
        );
        return;
      }
      case 'RestoreCompleted':
      case 'RestoreFailed':
      case 'RestoreCancelled':
        end('restore');
        return;
      default:
        return;
    }
  },
};

/** The owner of whatever job runs on the backup now (a lease outlives no job row: rows go when jobs end). */
const applyLease = (tx: ProjectionTx, { data }: Extract<JobLeaseEvent, { type: 'JobLeaseAcquired' | 'JobLeaseRenewed' }>) => {
  if (data.subject.kind !== 'backup') return;
  tx.run('UPDATE jobs SET worker_id = @workerId, lease_expires_at = @expiresAt WHERE backup_id = @id', {
    id: data.subject.id,
    workerId: data.workerId,
    expiresAt: data.expiresAt,
  });
};
