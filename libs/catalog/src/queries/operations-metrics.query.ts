import type { CatalogDatabase } from '../schema/catalog-database';
import { int } from './prepared';

/** Counts and sums for `/metrics`, every project together. */
export interface OperationsMetrics {
  /** Live and soft-deleted backups by status. */
  readonly backupsByStatus: readonly { readonly status: string; readonly count: number; readonly storedBytes: number }[];
  readonly runningJobs: readonly { readonly kind: 'backup' | 'restore'; readonly count: number }[];
  /** From the log (the operation_totals read model), so they only grow: what jobs read, wrote and restored since the start. */
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
  readonly jobDurations: readonly {
    readonly kind: 'backup' | 'restore';
    readonly outcome: 'completed' | 'failed';
    readonly seconds: number;
  }[];
}

/**
 * Two grouped counts over the backups and jobs tables, one row of running totals and the ended jobs'
 * durations (read models kept by the operation_totals projection): nothing here reads the audit log.
 */
export const operationsMetrics = (db: CatalogDatabase): OperationsMetrics => {
  const backupsByStatus = (
    db
      .prepare('SELECT status, COUNT(*) AS count, COALESCE(SUM(stored_bytes), 0) AS stored FROM backups GROUP BY status ORDER BY status')
      .all() as Record<string, unknown>[]
  ).map((r) => ({ status: r.status as string, count: int(r.count), storedBytes: Number(r.stored) }));
  const runningJobs = (
    db.prepare('SELECT kind, COUNT(*) AS count FROM jobs GROUP BY kind ORDER BY kind').all() as Record<string, unknown>[]
  ).map((r) => ({ kind: r.kind as 'backup' | 'restore', count: int(r.count) }));
  const t = db.prepare('SELECT * FROM operation_totals WHERE id = 1').get() as Record<string, unknown>;
  const jobDurations = (
    db.prepare('SELECT kind, outcome, seconds FROM job_outcomes ORDER BY position').all() as Record<string, unknown>[]
  ).map((r) => ({ kind: r.kind as 'backup' | 'restore', outcome: r.outcome as 'completed' | 'failed', seconds: Number(r.seconds) }));
  return {
    backupsByStatus,
    runningJobs,
    totals: {
      backupsCompleted: int(t.backups_completed),
      backupsFailed: int(t.backups_failed),
      restoresCompleted: int(t.restores_completed),
      restoresFailed: int(t.restores_failed),
      backupBytesRead: Number(t.backup_bytes_read),
      backupBytesWritten: Number(t.backup_bytes_written),
      objectBytesUncompressed: Number(t.object_bytes_uncompressed),
      objectBytesStored: Number(t.object_bytes_stored),
      restoreBytesWritten: Number(t.restore_bytes_written),
    },
    jobDurations,
  };
};
