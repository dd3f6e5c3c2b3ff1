import type { BackupEvent } from '@strata/domain';
import type { RecordedEvent } from '@strata/event-store';
import { eventTime } from './event-time';
import { textPerFragment, type Projection, type ProjectionTx } from './projection';

/** A byte count as the totals take it: a number, or nothing. */
const bytes = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

const addText = textPerFragment((sets) => `UPDATE operation_totals SET ${sets}, position = @pos WHERE id = 1 AND position < @pos`);

/**
 * The running totals and job durations behind `/metrics`, so a scrape reads a row instead of the whole
 * audit log. Totals only grow; each update is guarded by the event's position, so an event is counted
 * once. A job's duration runs from its latest request to the event that ends it, from the events' own
 * times (the same arithmetic as migration 4's fill from the audit log).
 */
export const operationTotalsProjection: Projection<BackupEvent> = {
  name: 'operation_totals',
  handles: ['BackupRequested', 'RestoreRequested', 'ChunkWritten', 'BackupCompleted', 'BackupFailed', 'RestoreCompleted', 'RestoreFailed'],
  apply(tx: ProjectionTx, e: BackupEvent, recorded: RecordedEvent) {
    const pos = recorded.position;
    const add = (sets: string, params: Record<string, number | bigint>) => tx.run(addText(sets), params);
    switch (e.type) {
      case 'BackupRequested':
        return started(tx, e.data.backupId, 'backup', eventTime(e));
      case 'RestoreRequested':
        return started(tx, e.data.backupId, 'restore', eventTime(e));
      case 'ChunkWritten':
        add('object_bytes_uncompressed = object_bytes_uncompressed + @length, object_bytes_stored = object_bytes_stored + @stored', {
          length: bytes(e.data.lengthBytes),
          stored: bytes(e.data.storedBytes),
          pos,
        });
        return;
      case 'BackupCompleted':
        add(
          'backups_completed = backups_completed + 1, backup_bytes_read = backup_bytes_read + @read, ' +
            'backup_bytes_written = backup_bytes_written + @written',
          { read: bytes(e.data.sizeBytes), written: bytes(e.data.storedBytes), pos },
        );
        return ended(tx, recorded, e.data.backupId, 'backup', 'completed', eventTime(e));
      case 'BackupFailed':
        add('backups_failed = backups_failed + 1', { pos });
        return ended(tx, recorded, e.data.backupId, 'backup', 'failed', eventTime(e));
      case 'RestoreCompleted':
        add('restores_completed = restores_completed + 1, restore_bytes_written = restore_bytes_written + @written', {
          written: bytes(e.data.bytesWritten),
          pos,
        });
        return ended(tx, recorded, e.data.backupId, 'restore', 'completed', eventTime(e));
      case 'RestoreFailed':
        add('restores_failed = restores_failed + 1', { pos });
        return ended(tx, recorded, e.data.backupId, 'restore', 'failed', eventTime(e));
      default:
        return;
    }
  },
};

const started = (tx: ProjectionTx, backupId: string, kind: 'backup' | 'restore', at: string): void => {
  tx.run(
    `INSERT INTO job_starts (backup_id, kind, requested_at) VALUES (@backupId, @kind, @at)
     ON CONFLICT (backup_id, kind) DO UPDATE SET requested_at = excluded.requested_at`,
    { backupId, kind, at },
  );
};

/**
 * An end with no request before it in the log records no duration: the duration is then NULL, which
 * `seconds NOT NULL` refuses and `OR IGNORE` skips. Written as VALUES, not as an INSERT … SELECT: into a
 * table with a trigger (the histogram's), SQLite first copies what a SELECT gives into a temporary b-tree.
 */
const ended = (
  tx: ProjectionTx,
  recorded: RecordedEvent,
  backupId: string,
  kind: 'backup' | 'restore',
  outcome: 'completed' | 'failed',
  at: string,
): void => {
  tx.run(
    `INSERT OR IGNORE INTO job_outcomes (position, kind, outcome, seconds)
     VALUES (@pos, @kind, @outcome, (SELECT MAX(0, (julianday(@at) - julianday(requested_at)) * 86400.0)
       FROM job_starts WHERE backup_id = @backupId AND kind = @kind))`,
    { pos: recorded.position, backupId, kind, outcome, at },
  );
};
