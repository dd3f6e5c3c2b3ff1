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
  /**
   * Seconds from request to completion or failure of the backup and restore jobs in the log, as
   * cumulative histogram buckets (`JOB_DURATION_BUCKETS_SECONDS`, then +Inf) with their sum and count.
   */
  readonly jobDurations: readonly JobDurationHistogram[];
}

export interface JobDurationHistogram {
  readonly kind: 'backup' | 'restore';
  readonly outcome: 'completed' | 'failed';
  /** Jobs that took at most `le` seconds; the last bucket is +Inf. */
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
  readonly sum: number;
  readonly count: number;
}

/** The job duration histogram's bucket bounds (seconds): the buckets migration 22 keeps, +Inf besides. */
export const JOB_DURATION_BUCKETS_SECONDS = [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 10800, 43200];

/**
 * Rows kept up to date as events arrive (backups by status, running totals, duration histograms) and a
 * grouped count of the running jobs: a few dozen rows whatever the size of the catalog. Nothing here
 * reads the audit log or a row per backup or per job.
 */
export const operationsMetrics = (db: CatalogDatabase): OperationsMetrics => {
  const backupsByStatus = (
    db.prepare('SELECT status, count, stored_bytes AS stored FROM backup_status_totals WHERE count > 0 ORDER BY status').all() as Record<
      string,
      unknown
    >[]
  ).map((r) => ({ status: r.status as string, count: int(r.count), storedBytes: Number(r.stored) }));
  const runningJobs = (
    db.prepare('SELECT kind, COUNT(*) AS count FROM jobs GROUP BY kind ORDER BY kind').all() as Record<string, unknown>[]
  ).map((r) => ({ kind: r.kind as 'backup' | 'restore', count: int(r.count) }));
  const t = db.prepare('SELECT * FROM operation_totals WHERE id = 1').get() as Record<string, unknown>;
  const buckets = db.prepare('SELECT kind, outcome, le, count FROM job_duration_buckets ORDER BY kind, outcome, le').all() as Record<
    string,
    unknown
  >[];
  const jobDurations = (
    db.prepare('SELECT kind, outcome, count, seconds FROM job_duration_sums ORDER BY kind, outcome').all() as Record<string, unknown>[]
  ).map((r): JobDurationHistogram => ({
    kind: r.kind as 'backup' | 'restore',
    outcome: r.outcome as 'completed' | 'failed',
    buckets: buckets.filter((b) => b.kind === r.kind && b.outcome === r.outcome).map((b) => ({ le: Number(b.le), count: int(b.count) })),
    sum: Number(r.seconds),
    count: int(r.count),
  }));
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
