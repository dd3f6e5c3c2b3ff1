import { seedCatalogHistory } from '../../../../bench/catalog-history';
import { JOB_DURATION_BUCKETS_SECONDS, type JobDurationHistogram } from './operations-metrics.query';
import {
  at,
  availableBackup,
  backupIdOf,
  backupRequested,
  event,
  GIB,
  openTestCatalog,
  type TestCatalog,
} from '../testing/catalog-fixtures';

let t: TestCatalog;
beforeEach(() => {
  t = openTestCatalog();
});
afterEach(() => t.close());

const durationOf = (d: JobDurationHistogram) => ({
  kind: d.kind,
  outcome: d.outcome,
  count: d.count,
  seconds: Math.round(d.sum),
  smallestBucket: d.buckets.find((b) => b.count > 0)?.le,
});

describe('operationsMetrics', () => {
  it('counts backups by status, running jobs, bytes from the log and each job duration', async () => {
    const failed = backupIdOf(2);
    await t.given([
      ...availableBackup(),
      backupRequested({ backupId: failed, createdAt: at(20) }),
      event('BackupFailed', { backupId: failed, reason: 'disk gone', failedAt: at(21) }),
      event('RestoreRequested', { backupId: backupIdOf(1), volumeId: 'target', volumeIsNew: true, requestedAt: at(40) }),
      event('RestoreCompleted', { backupId: backupIdOf(1), volumeId: 'target', bytesWritten: GIB, completedAt: at(42) }),
      backupRequested({ backupId: backupIdOf(3), createdAt: at(50) }),
    ]);

    const m = t.catalog.operationsMetrics();

    expect(m.backupsByStatus).toEqual([
      { status: 'available', count: 1, storedBytes: 2000 },
      { status: 'creating', count: 1, storedBytes: 0 },
      { status: 'error', count: 1, storedBytes: 0 },
    ]);
    expect(m.runningJobs).toEqual([{ kind: 'backup', count: 1 }]);
    expect(m.totals).toEqual({
      backupsCompleted: 1,
      backupsFailed: 1,
      restoresCompleted: 1,
      restoresFailed: 0,
      backupBytesRead: GIB,
      backupBytesWritten: 2000,
      objectBytesUncompressed: GIB,
      objectBytesStored: 2000,
      restoreBytesWritten: GIB,
    });
    // Each job in the smallest bucket that holds it, and in every larger one (cumulative, +Inf last).
    expect(m.jobDurations.filter((d) => d.count > 0).map(durationOf)).toEqual([
      { kind: 'backup', outcome: 'completed', count: 1, seconds: 180, smallestBucket: 300 },
      { kind: 'backup', outcome: 'failed', count: 1, seconds: 60, smallestBucket: 60 },
      { kind: 'restore', outcome: 'completed', count: 1, seconds: 120, smallestBucket: 300 },
    ]);
    for (const d of m.jobDurations) {
      expect(d.buckets.map((b) => b.le)).toEqual([...JOB_DURATION_BUCKETS_SECONDS, Infinity]);
      expect(d.buckets.at(-1)!.count).toBe(d.count);
    }
  });
});

describe('operationsMetrics kept as events arrive, over a long history', () => {
  it('says what grouping every backup row and reading every ended job would say, before and after a rebuild', async () => {
    await seedCatalogHistory(t.store, { backups: 300 });
    await t.catalog.waitForPosition(await t.store.headPosition());
    const grouped = () =>
      (
        t.catalog.db
          .prepare(
            'SELECT status, COUNT(*) AS count, COALESCE(SUM(stored_bytes), 0) AS stored FROM backups GROUP BY status ORDER BY status',
          )
          .all() as { status: string; count: number; stored: number }[]
      ).map((r) => ({ status: r.status, count: Number(r.count), storedBytes: Number(r.stored) }));
    const durations = () =>
      (
        t.catalog.db.prepare('SELECT kind, outcome, seconds FROM job_outcomes').all() as {
          kind: string;
          outcome: string;
          seconds: number;
        }[]
      ).map((r) => ({ ...r, seconds: Number(r.seconds) }));
    const expected = () =>
      ['backup', 'restore'].flatMap((kind) =>
        ['completed', 'failed'].map((outcome) => {
          const seconds = durations()
            .filter((d) => d.kind === kind && d.outcome === outcome)
            .map((d) => d.seconds);
          return {
            kind,
            outcome,
            count: seconds.length,
            buckets: [...JOB_DURATION_BUCKETS_SECONDS, Infinity].map((le) => ({ le, count: seconds.filter((s) => s <= le).length })),
          };
        }),
      );
    const kept = () =>
      t.catalog.operationsMetrics().jobDurations.map(({ kind, outcome, count, buckets }) => ({ kind, outcome, count, buckets }));

    expect(t.catalog.operationsMetrics().backupsByStatus).toEqual(grouped());
    expect(grouped().length).toBeGreaterThan(1);
    expect(kept()).toEqual(expected());
    expect(kept()[0]!.count).toBeGreaterThan(0);

    await t.catalog.rebuild();

    expect(t.catalog.operationsMetrics().backupsByStatus).toEqual(grouped());
    expect(kept()).toEqual(expected());
  });
});
