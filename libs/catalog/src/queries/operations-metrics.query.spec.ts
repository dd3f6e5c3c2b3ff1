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
