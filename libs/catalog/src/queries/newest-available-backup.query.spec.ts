import {
  at,
  availableBackup,
  backupIdOf,
  backupRequested,
  event,
  OTHER_PROJECT,
  openTestCatalog,
  PROJECT,
  VOLUME,
  type TestCatalog,
} from '../testing/catalog-fixtures';

const b = backupIdOf;
let t: TestCatalog;
beforeEach(() => {
  t = openTestCatalog();
});
afterEach(() => t.close());

describe('newestAvailableBackup', () => {
  it("picks the caller's available backup of the volume with the newest data_timestamp", async () => {
    await t.given([
      ...availableBackup({ backupId: b(1), createdAt: at(10) }),
      ...availableBackup({ backupId: b(2), createdAt: at(20) }),
      backupRequested({ backupId: b(3), createdAt: at(30) }),
      ...availableBackup({ backupId: b(4), createdAt: at(40), projectId: OTHER_PROJECT }),
      ...availableBackup({ backupId: b(5), createdAt: at(50), volumeId: 'another-volume' }),
    ]);
    expect(t.catalog.newestAvailableBackup(VOLUME, PROJECT)?.id).toBe(b(2));
  });

  it('skips a newer backup that went to error', async () => {
    await t.given([
      ...availableBackup({ backupId: b(1), createdAt: at(10) }),
      ...availableBackup({ backupId: b(2), createdAt: at(20) }),
      event('BackupStatusReset', { backupId: b(2), status: 'error', previousStatus: 'available', resetAt: at(25) }),
    ]);
    expect(t.catalog.newestAvailableBackup(VOLUME, PROJECT)?.id).toBe(b(1));
  });

  it('for a snapshot backup, only considers data older than the snapshot', async () => {
    await t.given([...availableBackup({ backupId: b(1), createdAt: at(0) }), ...availableBackup({ backupId: b(2), createdAt: at(20) })]);
    expect(t.catalog.newestAvailableBackup(VOLUME, PROJECT, { dataTimestampBefore: at(10) })?.id).toBe(b(1));
    expect(t.catalog.newestAvailableBackup(VOLUME, PROJECT, { dataTimestampBefore: at(0) })).toBeNull();
  });
});
