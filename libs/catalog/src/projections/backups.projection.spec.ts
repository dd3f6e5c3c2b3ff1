import {
  at,
  availableBackup,
  backupDeleted,
  backupIdOf,
  backupRequested,
  backupStarted,
  chunkWritten,
  event,
  GIB,
  openTestCatalog,
  ownScope,
  VOLUME,
  type TestCatalog,
} from '../testing/catalog-fixtures';

const id = backupIdOf(1);
let t: TestCatalog;
beforeEach(() => {
  t = openTestCatalog();
});
afterEach(() => t.close());

describe('backups projection', () => {
  it('records a requested backup as creating, with every detail field', async () => {
    await t.given([backupRequested({ metadata: { k: 'v' }, description: 'd', encryptionKeyId: 'key-1' })]);
    expect(t.catalog.getBackup(id, ownScope)).toEqual({
      id,
      status: 'creating',
      size: 1,
      objectCount: 0,
      availabilityZone: 'nova',
      container: null,
      createdAt: at(10),
      updatedAt: at(10),
      name: 'nightly',
      description: 'd',
      failReason: null,
      volumeId: VOLUME,
      snapshotId: null,
      dataTimestamp: at(10),
      parentId: null,
      metadata: { k: 'v' },
      projectId: 'project-1',
      userId: 'user-1',
      encryptionKeyId: 'key-1',
      service: 'posix',
      serviceMetadata: null,
      restoreVolumeId: null,
      deletedAt: null,
      sizeBytes: GIB,
      storedBytes: 0,
      bytesDone: 0,
      lastVerification: null,
      lastVerifiedAt: null,
      importedFrom: null,
      hasDependentBackups: false,
      lastEventPosition: 1n,
    });
  });

  describe('workflows: the catalog shows a request from its first step, the lock', () => {
    const requestedData = backupRequested().data;
    const lock = event('VolumeBackupStarted', {
      volumeId: VOLUME,
      backupId: id,
      previousStatus: 'available',
      startedAt: at(10),
      backup: requestedData,
    });
    const lockEnded = event('VolumeBackupEnded', {
      volumeId: VOLUME,
      backupId: id,
      outcome: 'failed',
      status: 'available',
      endedAt: at(11),
    });
    const requestedByLock = () => t.catalog.db.prepare('SELECT requested_by_lock AS n FROM backups WHERE id = ?').get(id);

    it('shows the backup creating from the lock that carries it, as its own stream will record it', async () => {
      await t.given([lock]);
      const fromLock = t.catalog.getBackup(id, ownScope);
      await t.given([backupRequested()]);
      expect({ ...t.catalog.getBackup(id, ownScope), lastEventPosition: 0n }).toEqual({ ...fromLock, lastEventPosition: 0n });
      expect(fromLock).toMatchObject({ status: 'creating', name: 'nightly', createdAt: at(10) });
      expect(requestedByLock()).toEqual({ n: 0 });
    });

    it('withdraws a row seen only in a lock that ended: its stream is not in this history', async () => {
      await t.given([lock, lockEnded]);
      expect(t.catalog.getBackup(id, ownScope)).toBeNull();
      expect(t.catalog.db.prepare('SELECT COUNT(*) AS n FROM backups').get()).toEqual({ n: 0 });
    });

    it('keeps a recorded backup when its lock ends', async () => {
      await t.given([lock, backupRequested(), event('BackupFailed', { backupId: id, reason: 'parent gone', failedAt: at(10) }), lockEnded]);
      expect(t.catalog.getBackup(id, ownScope)).toMatchObject({ status: 'error', failReason: 'parent gone' });
    });

    it("shows an available backup restoring from the lock on the restore's target, and gives it back if the restore is refused", async () => {
      const target = 'a0000000-0000-4000-8000-0000000000ff';
      await t.given([
        ...availableBackup(),
        event('VolumeRestoreStarted', { volumeId: target, backupId: id, startedAt: at(20), volumeIsNew: false }),
      ]);
      expect(t.catalog.getBackup(id, ownScope)).toMatchObject({ status: 'restoring', restoreVolumeId: target });
      await t.given([
        event('VolumeRestoreEnded', { volumeId: target, backupId: id, outcome: 'aborted', status: 'available', endedAt: at(21) }),
      ]);
      expect(t.catalog.getBackup(id, ownScope)).toMatchObject({ status: 'available' });
    });

    it('leaves a backup that is not available alone when a restore lock names it (the workflow refuses that restore)', async () => {
      await t.given([
        backupRequested(),
        event('VolumeRestoreStarted', { volumeId: VOLUME, backupId: id, startedAt: at(20), volumeIsNew: false }),
      ]);
      expect(t.catalog.getBackup(id, ownScope)).toMatchObject({ status: 'creating', restoreVolumeId: null });
    });
  });

  it('takes container and object prefix from BackupStarted and progress from ChunkWritten', async () => {
    await t.given([backupRequested(), backupStarted(id, 11), chunkWritten(id, 1, { storedBytes: 700, writtenAt: at(12) })]);
    expect(t.catalog.getBackup(id, ownScope)).toMatchObject({
      status: 'creating',
      container: `b0/00/${id}`,
      serviceMetadata: `volume_${VOLUME}_backup_${id}`,
      objectCount: 1,
      storedBytes: 700,
      bytesDone: 512 * 1024 * 1024,
      updatedAt: at(12),
    });
  });

  it('makes a completed backup available with the recorded counts', async () => {
    await t.given(availableBackup());
    expect(t.catalog.getBackup(id, ownScope)).toMatchObject({
      status: 'available',
      objectCount: 2,
      sizeBytes: GIB,
      storedBytes: 2000,
      bytesDone: GIB,
      updatedAt: at(13),
    });
  });

  it('puts a failed backup in error with its reason', async () => {
    await t.given([backupRequested(), event('BackupFailed', { backupId: id, reason: 'disk on fire', failedAt: at(14) })]);
    expect(t.catalog.getBackup(id, ownScope)).toMatchObject({ status: 'error', failReason: 'disk on fire', updatedAt: at(14) });
  });

  it('soft-deletes: the row stays deleted but no query returns it', async () => {
    await t.given([...availableBackup(), ...backupDeleted(id, 30)]);
    expect(t.catalog.getBackup(id, ownScope)).toBeNull();
    expect(t.catalog.listBackups({ scope: ownScope }).rows).toEqual([]);
    expect(t.catalog.db.prepare('SELECT status, deleted_at FROM backups WHERE id = ?').get(id)).toEqual({
      status: 'deleted',
      deleted_at: at(31),
    });
  });

  it('replaces name, description and metadata only when the update carries them', async () => {
    await t.given([
      backupRequested({ description: 'old', metadata: { a: '1' } }),
      event('BackupUpdated', { backupId: id, name: 'renamed', updatedAt: at(20) }),
      event('BackupUpdated', { backupId: id, metadata: { b: '2' }, updatedAt: at(21) }),
    ]);
    expect(t.catalog.getBackup(id, ownScope)).toMatchObject({
      name: 'renamed',
      description: 'old',
      metadata: { b: '2' },
      updatedAt: at(21),
    });
  });

  it('goes restoring with the target volume and back to available when the restore ends', async () => {
    const restore = event('RestoreRequested', { backupId: id, volumeId: 'target-1', volumeIsNew: false, requestedAt: at(20) });
    await t.given([...availableBackup(), restore]);
    expect(t.catalog.getBackup(id, ownScope)).toMatchObject({ status: 'restoring', restoreVolumeId: 'target-1' });
    await t.given([event('RestoreFailed', { backupId: id, volumeId: 'target-1', reason: 'x', failedAt: at(21) })]);
    expect(t.catalog.getBackup(id, ownScope)).toMatchObject({ status: 'available', restoreVolumeId: 'target-1', updatedAt: at(21) });
  });

  it('takes the status an admin resets it to', async () => {
    await t.given([
      backupRequested(),
      event('BackupStatusReset', { backupId: id, status: 'error', previousStatus: 'creating', resetAt: at(15) }),
    ]);
    expect(t.catalog.getBackup(id, ownScope)).toMatchObject({ status: 'error', updatedAt: at(15) });
  });

  it('keeps a backup deleting through the cancellation of its job', async () => {
    await t.given([
      backupRequested(),
      event('BackupDeletionRequested', { backupId: id, force: true, previousStatus: 'creating', requestedAt: at(15) }),
      event('BackupCancelled', { backupId: id, cancelledAt: at(16) }),
    ]);
    expect(t.catalog.getBackup(id, ownScope)).toMatchObject({ status: 'deleting', updatedAt: at(16) });
  });
});
