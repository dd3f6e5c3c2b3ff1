import type { CatalogDatabase } from '../schema/catalog-database';
import { int } from './prepared';

/** Counts and sums for `/metrics`, every project together. */
export interface OperationsMetrics {
  /** Live and soft-deleted backups by status. */
  readonly backupsByStatus: readonly { readonly status: string; readonly count: number; readonly storedBytes: number }[];
  readonly runningJobs: readonly { readonly kind: 'backup' | 'restore'; readonly count: number }[];
  /** From the log (the audit read model), so they only grow: what jobs read, wrote and restored since the start. */
  readonly totals: {
    readonly backupsCompleted: number;
    readonly backupsFailed: number;
    readonly restoresCompleted: number;
    readonly restoresFailed: number;
    /** Volume bytes scanned by completed backups. */
    readonly backupBytesRead: number;
    /** Bytes the completed backups stored in the repository (compressed). */
    readonly backupBytesWritten: number;
    /** Bytes of every written object before and after compression. */
    readonly objectBytesUncompressed: number;
    readonly objectBytesStored: number;
    readonly restoreBytesWritten: number;
  };
  /** Seconds from request to completion or failure of every backup and restore job in the log. */
  readonly jobDurations: readonly { readonly kind: 'backup' | 'restore'; readonly outcome: 'completed' | 'failed'; readonly seconds: number }[];
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/**
 * One pass over the backups and jobs tables and one over the audit log. The audit pass reads every
 * job-ending and ChunkWritten event, which is fine at a scrape every few seconds for catalogs of
 * millions of events; a dedicated counters read model is the next step if that ever shows.
 */
export const operationsMetrics = (db: CatalogDatabase): OperationsMetrics => {
  const backupsByStatus = (db.prepare(
    'SELECT status, COUNT(*) AS count, COALESCE(SUM(stored_bytes), 0) AS stored FROM backups GROUP BY status ORDER BY status',
  ).all() as Record<string, unknown>[]).map((r) => ({ status: r.status as string, count: int(r.count), storedBytes: num(r.stored) }));
  const runningJobs = (db.prepare('SELECT kind, COUNT(*) AS count FROM jobs GROUP BY kind ORDER BY kind').all() as Record<string, unknown>[])
    .map((r) => ({ kind: r.kind as 'backup' | 'restore', count: int(r.count) }));
  const sums = new Map((db.prepare(
    `SELECT type, COUNT(*) AS count,
       SUM(json_extract(data, '$.sizeBytes')) AS size_bytes, SUM(json_extract(data, '$.storedBytes')) AS stored_bytes,
       SUM(json_extract(data, '$.lengthBytes')) AS length_bytes, SUM(json_extract(data, '$.bytesWritten')) AS bytes_written
     FROM audit WHERE type IN ('BackupCompleted', 'BackupFailed', 'RestoreCompleted', 'RestoreFailed', 'ChunkWritten')
     GROUP BY type`,
  ).all() as Record<string, unknown>[]).map((r) => [r.type as string, r]));
  const sum = (type: string, column: string) => num(sums.get(type)?.[column]);
  const jobDurations = (db.prepare(
    `SELECT e.type AS type, (julianday(e.occurred_at) - julianday(s.occurred_at)) * 86400.0 AS seconds
     FROM audit e JOIN audit s ON s.position = (
       SELECT MAX(r.position) FROM audit r
       WHERE r.entity_kind = 'backup' AND r.entity_id = e.entity_id AND r.position < e.position
         AND r.type = CASE WHEN e.type LIKE 'Backup%' THEN 'BackupRequested' ELSE 'RestoreRequested' END)
     WHERE e.type IN ('BackupCompleted', 'BackupFailed', 'RestoreCompleted', 'RestoreFailed')`,
  ).all() as Record<string, unknown>[]).map((r) => {
    const type = r.type as string;
    return {
      kind: type.startsWith('Backup') ? 'backup' as const : 'restore' as const,
      outcome: type.endsWith('Completed') ? 'completed' as const : 'failed' as const,
      seconds: Math.max(0, num(r.seconds)),
    };
  });
  return {
    backupsByStatus,
    runningJobs,
    totals: {
      backupsCompleted: sum('BackupCompleted', 'count'),
      backupsFailed: sum('BackupFailed', 'count'),
      restoresCompleted: sum('RestoreCompleted', 'count'),
      restoresFailed: sum('RestoreFailed', 'count'),
      backupBytesRead: sum('BackupCompleted', 'size_bytes'),
      backupBytesWritten: sum('BackupCompleted', 'stored_bytes'),
      objectBytesUncompressed: sum('ChunkWritten', 'length_bytes'),
      objectBytesStored: sum('ChunkWritten', 'stored_bytes'),
      restoreBytesWritten: sum('RestoreCompleted', 'bytes_written'),
    },
    jobDurations,
  };
};
