import {
  at,
  availableBackup,
  backupIdOf,
  OTHER_PROJECT,
  openTestCatalog,
  volumeCreated,
  type TestCatalog,
} from '../testing/catalog-fixtures';

const OTHER_VOLUME = 'a0000000-0000-4000-8000-000000000002';

let t: TestCatalog;
beforeEach(async () => {
  t = openTestCatalog();
  await t.given([
    volumeCreated(),
    volumeCreated({ volumeId: OTHER_VOLUME, projectId: OTHER_PROJECT, createdAt: at(1) }),
    ...availableBackup({ backupId: backupIdOf(1) }),
    ...availableBackup({ backupId: backupIdOf(2), volumeId: OTHER_VOLUME, projectId: OTHER_PROJECT, createdAt: at(10) }),
  ]);
});
afterEach(() => t.close());

const typesOf = (filter: Parameters<TestCatalog['catalog']['eventsInLog']>[0]) =>
  t.catalog.eventsInLog(filter).map((row) => `${row.type}:${row.entityId.slice(-1)}`);

describe('eventsInLog', () => {
  it('gives the log in order, a page at a time', () => {
    const first = t.catalog.eventsInLog({ limit: 3 });
    expect(first.map((row) => row.position)).toEqual([1n, 2n, 3n]);
    expect(t.catalog.eventsInLog({ limit: 2, afterPosition: 3n }).map((row) => row.position)).toEqual([4n, 5n]);
  });

  it('filters by any of several types', () => {
    expect(typesOf({ limit: 100, types: ['VolumeCreated', 'BackupCompleted'] })).toEqual([
      'VolumeCreated:1',
      'VolumeCreated:2',
      'BackupCompleted:1',
      'BackupCompleted:2',
    ]);
  });

  it('filters by the owning project, across volumes and backups', () => {
    expect(typesOf({ limit: 100, projectId: OTHER_PROJECT, types: ['VolumeCreated', 'BackupRequested'] })).toEqual([
      'VolumeCreated:2',
      'BackupRequested:2',
    ]);
  });

  it('filters by volume: the volume and its backups', () => {
    expect(typesOf({ limit: 100, volumeId: OTHER_VOLUME })).toEqual([
      'VolumeCreated:2',
      'BackupRequested:2',
      'BackupStarted:2',
      'ChunkWritten:2',
      'ChunkWritten:2',
      'BackupCompleted:2',
    ]);
  });

  it('filters by the time the events carry, both ends included', () => {
    expect(typesOf({ limit: 100, since: at(1), until: at(10) })).toEqual(['VolumeCreated:2', 'BackupRequested:1', 'BackupRequested:2']);
  });
});
