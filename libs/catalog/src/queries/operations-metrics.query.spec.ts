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
    expect(m.jobDurations.map((d) => ({ ...d, seconds: Math.round(d.seconds) }))).toEqual([
      { kind: 'backup', outcome: 'completed', seconds: 180 },
      { kind: 'backup', outcome: 'failed', seconds: 60 },
      { kind: 'restore', outcome: 'completed', seconds: 120 },
    ]);
  });
});
