import {
  availableBackup,
  backupDeleted,
  backupIdOf,
  backupRequested,
  event,
  OTHER_PROJECT,
  openTestCatalog,
  ownScope,
  at,
  type TestCatalog,
} from '../testing/catalog-fixtures';

const full = backupIdOf(1);
const child = backupIdOf(2);
const incremental = (data: Parameters<typeof availableBackup>[0] = {}) =>
  availableBackup({ backupId: child, parentId: full, incremental: true, createdAt: at(40), ...data });

let t: TestCatalog;
beforeEach(() => {
  t = openTestCatalog();
});
afterEach(() => t.close());

describe('backup children (has_dependent_backups and the delete guard)', () => {
  it('does not count a child that has not completed as dependent, but guards the parent with it', async () => {
    await t.given([...availableBackup({ backupId: full }), backupRequested({ backupId: child, parentId: full, createdAt: at(40) })]);
    expect(t.catalog.getBackup(full, ownScope)?.hasDependentBackups).toBe(false);
    expect(t.catalog.liveChildCount(full)).toBe(1);
  });

  it('has dependents once a live child completed', async () => {
    await t.given([...availableBackup({ backupId: full }), ...incremental()]);
    expect(t.catalog.getBackup(full, ownScope)?.hasDependentBackups).toBe(true);
    expect(t.catalog.getBackup(child, ownScope)?.hasDependentBackups).toBe(false);
  });

  it('has no dependents again after the child is deleted', async () => {
    await t.given([...availableBackup({ backupId: full }), ...incremental(), ...backupDeleted(child, 50)]);
    expect(t.catalog.getBackup(full, ownScope)?.hasDependentBackups).toBe(false);
    expect(t.catalog.liveChildCount(full)).toBe(0);
  });

  it('counts a failed child in the guard until it is deleted', async () => {
    await t.given([
      ...availableBackup({ backupId: full }),
      backupRequested({ backupId: child, parentId: full, createdAt: at(40) }),
      event('BackupFailed', { backupId: child, reason: 'x', failedAt: at(41) }),
    ]);
    expect(t.catalog.liveChildCount(full)).toBe(1);
    await t.given(backupDeleted(child, 50));
    expect(t.catalog.liveChildCount(full)).toBe(0);
  });

  it('guards across projects: the count is global', async () => {
    await t.given([...availableBackup({ backupId: full }), ...incremental({ projectId: OTHER_PROJECT })]);
    expect(t.catalog.liveChildCount(full)).toBe(1);
  });

  it('returns the chain from the full backup to the asked one', async () => {
    const third = backupIdOf(3);
    await t.given([
      ...availableBackup({ backupId: full }),
      ...incremental(),
      ...availableBackup({ backupId: third, parentId: child, incremental: true, createdAt: at(60) }),
    ]);
    expect(t.catalog.backupChain(third).map((b) => b.id)).toEqual([full, child, third]);
    expect(t.catalog.backupChain(full).map((b) => b.id)).toEqual([full]);
    expect(t.catalog.backupChain(backupIdOf(99))).toEqual([]);
  });
});
