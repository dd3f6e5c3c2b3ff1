import { JOB_DURATION_BUCKETS_SECONDS, type OperationsMetrics } from '@strata/catalog';
import { keptHistogramSamples, type MetricFamily } from './prometheus-text';

/** From a few seconds (a small incremental) to hours (a large full backup): kept by the catalog as jobs end. */
export { JOB_DURATION_BUCKETS_SECONDS };

/** Where the read side stands against the log. */
export interface ReadSideState {
  readonly head: bigint;
  readonly catalog: bigint;
  /** Events the catalog parked because a projection could not apply them. */
  readonly parkedEvents: number;
  /** Events after the notifier's checkpoint, when a notification driver publishes; absent otherwise. */
  readonly notificationLagEvents?: number;
}

/**
 * What `/metrics` shows: the catalog's counts and sums, how far the read models trail the log, and how
 * many events they went on without.
 */
export const strataMetrics = (m: OperationsMetrics, positions: ReadSideState): MetricFamily[] => {
  const t = m.totals;
  const empty = { buckets: [...JOB_DURATION_BUCKETS_SECONDS, Infinity].map((le) => ({ le, count: 0 })), sum: 0, count: 0 };
  const durations = (kind: 'backup' | 'restore', outcome: 'completed' | 'failed') =>
    keptHistogramSamples(m.jobDurations.find((d) => d.kind === kind && d.outcome === outcome) ?? empty, { kind, outcome });
  const jobs = (kind: 'backup' | 'restore') => m.runningJobs.find((j) => j.kind === kind)?.count ?? 0;
  return [
    {
      name: 'strata_backups',
      type: 'gauge',
      help: 'Backups in the catalog by status (deleted ones included).',
      samples: m.backupsByStatus.map((b) => ({ labels: { status: b.status }, value: b.count })),
    },
    {
      name: 'strata_backup_stored_bytes',
      type: 'gauge',
      help: 'Bytes the repository holds for backups, by status.',
      samples: m.backupsByStatus.filter((b) => b.status !== 'deleted').map((b) => ({ labels: { status: b.status }, value: b.storedBytes })),
    },
    {
      name: 'strata_jobs_running',
      type: 'gauge',
      help: 'Backup and restore jobs running now.',
      samples: [
        { labels: { kind: 'backup' }, value: jobs('backup') },
        { labels: { kind: 'restore' }, value: jobs('restore') },
      ],
    },
    {
      name: 'strata_jobs_total',
      type: 'counter',
      help: 'Backup and restore jobs that ended, by outcome.',
      samples: [
        { labels: { kind: 'backup', outcome: 'completed' }, value: t.backupsCompleted },
        { labels: { kind: 'backup', outcome: 'failed' }, value: t.backupsFailed },
        { labels: { kind: 'restore', outcome: 'completed' }, value: t.restoresCompleted },
        { labels: { kind: 'restore', outcome: 'failed' }, value: t.restoresFailed },
      ],
    },
    {
      name: 'strata_backup_read_bytes_total',
      type: 'counter',
      help: 'Volume bytes read by completed backups.',
      samples: [{ value: t.backupBytesRead }],
    },
    {
      name: 'strata_backup_written_bytes_total',
      type: 'counter',
      help: 'Bytes completed backups wrote to the repository (compressed).',
      samples: [{ value: t.backupBytesWritten }],
    },
    {
      name: 'strata_restore_written_bytes_total',
      type: 'counter',
      help: 'Bytes completed restores wrote to volumes.',
      samples: [{ value: t.restoreBytesWritten }],
    },
    {
      name: 'strata_backup_compression_ratio',
      type: 'gauge',
      help: 'Bytes of every backup object before compression divided by the bytes stored (1 when nothing was written).',
      samples: [{ value: t.objectBytesStored > 0 ? Number((t.objectBytesUncompressed / t.objectBytesStored).toFixed(4)) : 1 }],
    },
    {
      name: 'strata_job_duration_seconds',
      type: 'histogram',
      help: 'Seconds from the request to the end of each backup and restore.',
      samples: [
        ...durations('backup', 'completed'),
        ...durations('backup', 'failed'),
        ...durations('restore', 'completed'),
        ...durations('restore', 'failed'),
      ],
    },
    {
      name: 'strata_event_store_head_position',
      type: 'gauge',
      help: 'Position of the newest event in the log.',
      samples: [{ value: Number(positions.head) }],
    },
    {
      name: 'strata_catalog_position',
      type: 'gauge',
      help: 'Log position the read models have applied (their checkpoint).',
      samples: [{ value: Number(positions.catalog) }],
    },
    {
      name: 'strata_projection_lag_events',
      type: 'gauge',
      help: 'Events in the log the read models have not applied yet.',
      samples: [{ value: Math.max(0, Number(positions.head - positions.catalog)) }],
    },
    {
      name: 'strata_projection_failures',
      type: 'gauge',
      help: 'Events parked because a projection could not apply them (GET /strata/v1/catalog/failures; a rebuild retries them).',
      samples: [{ value: positions.parkedEvents }],
    },
    ...(positions.notificationLagEvents === undefined
      ? []
      : [
          {
            name: 'strata_notifications_lag_events',
            type: 'gauge' as const,
            help: 'Events in the log whose notifications the broker has not confirmed yet (the notifier is behind, or RabbitMQ is away).',
            samples: [{ value: positions.notificationLagEvents }],
          },
        ]),
  ];
};
