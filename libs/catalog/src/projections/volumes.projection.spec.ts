import {
  at,
  event,
  openTestCatalog,
  ownScope,
  snapshotCreated,
  VOLUME,
  volumeCreated,
  volumeProvisioned,
  type TestCatalog,
} from '../testing/catalog-fixtures';

const backupId = 'b0000000-0000-4000-8000-000000000001';
let t: TestCatalog;
beforeEach(() => {
  t = openTestCatalog();
});
afterEach(() => t.close());

describe('volumes projection', () => {
  it('records a created volume and where it was provisioned', async () => {
    await t.given([volumeCreated({ metadata: { a: 'b' }, volumeType: 'fast' }), volumeProvisioned(VOLUME, 1)]);
    expect(t.catalog.getVolume(VOLUME, ownScope)).toEqual({
      id: VOLUME,
      projectId: 'project-1',
      userId: 'user-1',
      name: 'vol',
      description: null,
      size: 1,
      status: 'available',
      previousStatus: null,
      availabilityZone: 'nova',
      volumeType: 'fast',
      volumeTypeId: null,
      encryptionKeyId: null,
      metadata: { a: 'b' },
      sourceKind: 'blank',
      sourceId: null,
      locationKind: 'file',
      locationPath: `/data/volumes/${VOLUME}.img`,
      locationOwned: true,
      attachedInstance: null,
      attachedHost: null,
      attachedMountpoint: null,
      attachedAt: null,
      lockedBy: null,
      bootable: false,
      adminMetadata: {},
      createdAt: at(0),
      updatedAt: at(1),
      deletedAt: null,
      lastEventPosition: 2n,
    });
  });

  it('locks an in-use volume for a backup and gives its status back afterwards', async () => {
    await t.given([
      volumeCreated(),
      volumeProvisioned(),
      event('VolumeAttached', { volumeId: VOLUME, instanceUuid: 'vm-1', hostName: 'h', mountpoint: '/dev/vdb', attachedAt: at(2) }),
      event('VolumeBackupStarted', { volumeId: VOLUME, backupId, previousStatus: 'in-use', startedAt: at(3) }),
    ]);
    expect(t.catalog.getVolume(VOLUME, ownScope)).toMatchObject({
      status: 'backing-up',
      previousStatus: 'in-use',
      lockedBy: backupId,
      attachedInstance: 'vm-1',
      attachedAt: at(2),
    });
    await t.given([event('VolumeBackupEnded', { volumeId: VOLUME, backupId, outcome: 'failed', status: 'in-use', endedAt: at(4) })]);
    expect(t.catalog.getVolume(VOLUME, ownScope)).toMatchObject({
      status: 'in-use',
      previousStatus: 'error_backing-up',
      lockedBy: null,
      updatedAt: at(4),
    });
  });

  it('marks a restore target restoring-backup and records how the restore ended', async () => {
    await t.given([volumeCreated(), volumeProvisioned(), event('VolumeRestoreStarted', { volumeId: VOLUME, backupId, startedAt: at(3) })]);
    expect(t.catalog.getVolume(VOLUME, ownScope)).toMatchObject({
      status: 'restoring-backup',
      previousStatus: 'available',
      lockedBy: backupId,
    });
    await t.given([
      event('VolumeRestoreEnded', { volumeId: VOLUME, backupId, outcome: 'failed', status: 'error_restoring', endedAt: at(4) }),
    ]);
    expect(t.catalog.getVolume(VOLUME, ownScope)).toMatchObject({
      status: 'error_restoring',
      previousStatus: 'restoring-backup',
      lockedBy: null,
    });
  });

  it('hides a deleted volume', async () => {
    await t.given([
      volumeCreated(),
      volumeProvisioned(),
      event('VolumeDeletionRequested', { volumeId: VOLUME, requestedAt: at(5) }),
      event('VolumeDeleted', { volumeId: VOLUME, deletedAt: at(6) }),
    ]);
    expect(t.catalog.getVolume(VOLUME, ownScope)).toBeNull();
    expect(t.catalog.listVolumes({ scope: ownScope })).toEqual({ rows: [], total: 0 });
  });
});

describe('volumes projection: volume actions', () => {
  const attached = (minute: number) =>
    event('VolumeAttached', { volumeId: VOLUME, instanceUuid: 'vm-1', hostName: null, mountpoint: '/dev/vdb', attachedAt: at(minute) });
  const volume = () => t.catalog.getVolume(VOLUME, ownScope);

  it('shows a reserved volume attaching, then available again when unreserved', async () => {
    await t.given([volumeCreated(), volumeProvisioned(), event('VolumeReserved', { volumeId: VOLUME, reservedAt: at(2) })]);
    expect(volume()).toMatchObject({ status: 'attaching', updatedAt: at(2) });
    await t.given([event('VolumeUnreserved', { volumeId: VOLUME, status: 'available', unreservedAt: at(3) })]);
    expect(volume()).toMatchObject({ status: 'available', updatedAt: at(3) });
  });

  it("adds Cinder's admin metadata on attach (readonly False, attached_mode rw) and drops attached_mode on detach", async () => {
    await t.given([volumeCreated(), volumeProvisioned(), attached(2)]);
    expect(volume()).toMatchObject({ status: 'in-use', adminMetadata: { readonly: 'False', attached_mode: 'rw' } });
    await t.given([event('VolumeDetached', { volumeId: VOLUME, detachedAt: at(3) })]);
    expect(volume()).toMatchObject({ status: 'available', adminMetadata: { readonly: 'False' } });
  });

  it('keeps a readonly flag set before the attach', async () => {
    await t.given([
      volumeCreated(),
      volumeProvisioned(),
      event('VolumeReadonlyFlagUpdated', { volumeId: VOLUME, readonly: true, updatedAt: at(2) }),
    ]);
    expect(volume()).toMatchObject({ adminMetadata: { readonly: 'True' }, updatedAt: at(2) });
    await t.given([event('VolumeReadonlyFlagUpdated', { volumeId: VOLUME, readonly: false, updatedAt: at(3) }), attached(4)]);
    expect(volume()!.adminMetadata).toEqual({ readonly: 'False', attached_mode: 'rw' });
  });

  it('shows detaching, then in-use again when rolled back', async () => {
    await t.given([
      volumeCreated(),
      volumeProvisioned(),
      attached(2),
      event('VolumeDetachingStarted', { volumeId: VOLUME, startedAt: at(3) }),
    ]);
    expect(volume()).toMatchObject({ status: 'detaching', attachedInstance: 'vm-1' });
    await t.given([event('VolumeDetachingRolledBack', { volumeId: VOLUME, rolledBackAt: at(4) })]);
    expect(volume()).toMatchObject({ status: 'in-use', attachedInstance: 'vm-1' });
  });

  it('shows an extend as extending, then the new size', async () => {
    await t.given([
      volumeCreated(),
      volumeProvisioned(),
      event('VolumeExtendRequested', { volumeId: VOLUME, newSizeGb: 3, previousStatus: 'available', requestedAt: at(2) }),
    ]);
    expect(volume()).toMatchObject({ status: 'extending', previousStatus: 'available', size: 1 });
    await t.given([
      event('VolumeExtended', { volumeId: VOLUME, sizeGb: 3, sizeBytes: 3 * 2 ** 30, status: 'available', extendedAt: at(3) }),
    ]);
    expect(volume()).toMatchObject({ status: 'available', size: 3, updatedAt: at(3) });
  });

  it('shows a failed extend as error_extending at the old size', async () => {
    await t.given([
      volumeCreated(),
      volumeProvisioned(),
      event('VolumeExtendRequested', { volumeId: VOLUME, newSizeGb: 3, previousStatus: 'available', requestedAt: at(2) }),
      event('VolumeExtendFailed', { volumeId: VOLUME, reason: 'ENOSPC', failedAt: at(3) }),
    ]);
    expect(volume()).toMatchObject({ status: 'error_extending', size: 1 });
  });

  it('records the bootable flag', async () => {
    await t.given([volumeCreated(), volumeProvisioned(), event('VolumeBootableSet', { volumeId: VOLUME, bootable: true, setAt: at(2) })]);
    expect(volume()).toMatchObject({ bootable: true, updatedAt: at(2) });
    await t.given([event('VolumeBootableSet', { volumeId: VOLUME, bootable: false, setAt: at(3) })]);
    expect(volume()!.bootable).toBe(false);
  });
});

describe('listVolumes', () => {
  it("filters on name and status within the caller's project", async () => {
    await t.given([
      volumeCreated(),
      volumeProvisioned(),
      volumeCreated({ volumeId: 'v2', name: 'other', createdAt: at(5) }),
      volumeCreated({ volumeId: 'v3', projectId: 'project-2', createdAt: at(6) }),
    ]);
    const ids = (filters: { name?: string; status?: string }, allProjects = false) =>
      t.catalog.listVolumes({ filters, scope: { projectId: 'project-1', allProjects } }).rows.map((v) => v.id);
    expect(ids({})).toEqual(['v2', VOLUME]);
    expect(ids({ status: 'creating' })).toEqual(['v2']);
    expect(ids({ name: 'vol' })).toEqual([VOLUME]);
    expect(ids({ name: 'vol' }, true)).toEqual(['v3', VOLUME]);
    expect(t.catalog.getVolume('v3', ownScope)).toBeNull();
  });
});

describe('snapshots projection', () => {
  const snapshotId = 'c0000000-0000-4000-8000-000000000001';

  it('records a snapshot, its lock by a backup and its location', async () => {
    await t.given([
      volumeCreated(),
      volumeProvisioned(),
      snapshotCreated(),
      event('SnapshotProvisioned', {
        snapshotId,
        location: { kind: 'file', path: '/s.img', sizeBytes: 1 << 30, owned: true },
        provisionedAt: at(3),
      }),
      event('SnapshotBackupStarted', { snapshotId, backupId, startedAt: at(4) }),
    ]);
    expect(t.catalog.getSnapshot(snapshotId, ownScope)).toEqual({
      id: snapshotId,
      volumeId: VOLUME,
      projectId: 'project-1',
      userId: 'user-1',
      name: 'snap',
      description: null,
      size: 1,
      status: 'backing-up',
      metadata: {},
      locationKind: 'file',
      locationPath: '/s.img',
      locationOwned: true,
      lockedBy: backupId,
      createdAt: at(2),
      updatedAt: at(4),
      deletedAt: null,
      lastEventPosition: 5n,
    });
    await t.given([event('SnapshotBackupEnded', { snapshotId, backupId, outcome: 'completed', endedAt: at(5) })]);
    expect(t.catalog.getSnapshot(snapshotId, ownScope)).toMatchObject({ status: 'available', lockedBy: null });
  });

  it('counts live snapshots of a volume until they are deleted', async () => {
    await t.given([volumeCreated(), snapshotCreated(), snapshotCreated({ snapshotId: 'c2' })]);
    expect(t.catalog.liveSnapshotCount(VOLUME)).toBe(2);
    await t.given([event('SnapshotDeleted', { snapshotId, deletedAt: at(9) })]);
    expect(t.catalog.liveSnapshotCount(VOLUME)).toBe(1);
    expect(t.catalog.getSnapshot(snapshotId, ownScope)).toBeNull();
    expect(t.catalog.listSnapshots({ scope: ownScope, filters: { volumeId: VOLUME } }).rows.map((s) => s.id)).toEqual(['c2']);
  });

  describe('volumes from a source', () => {
    const SNAPSHOT = 'c0000000-0000-4000-8000-000000000001';
    it('keeps the id of the snapshot or volume a volume was created from', async () => {
      await t.given([volumeCreated({ source: { kind: 'snapshot', snapshotId: SNAPSHOT } })]);
      expect(t.catalog.getVolume(VOLUME, ownScope)).toMatchObject({ sourceKind: 'snapshot', sourceId: SNAPSHOT, status: 'creating' });
    });

    it('shows a volume from a backup creating until its restore ends, as Cinder does', async () => {
      await t.given([
        volumeCreated({ source: { kind: 'backup', backupId }, restoreOf: { backupId } }),
        volumeProvisioned(VOLUME, 1),
        event('VolumeRestoreStarted', { volumeId: VOLUME, backupId, startedAt: at(1), volumeIsNew: true }),
      ]);
      expect(t.catalog.getVolume(VOLUME, ownScope)).toMatchObject({ status: 'creating', lockedBy: backupId, sourceId: backupId });
      await t.given([event('VolumeRestoreEnded', { volumeId: VOLUME, backupId, outcome: 'failed', status: 'error', endedAt: at(2) })]);
      expect(t.catalog.getVolume(VOLUME, ownScope)).toMatchObject({ status: 'error', lockedBy: null });
    });

    it('applies the metadata a restore brought back, and the name when it carries one', async () => {
      await t.given([
        volumeCreated({ name: `restore_backup_${backupId}`, metadata: { old: '1' } }),
        volumeProvisioned(VOLUME, 1),
        event('VolumeMetadataRestored', {
          volumeId: VOLUME,
          backupId,
          name: 'src',
          description: 'd',
          metadata: { k: 'v' },
          restoredAt: at(3),
        }),
      ]);
      expect(t.catalog.getVolume(VOLUME, ownScope)).toMatchObject({ name: 'src', description: 'd', metadata: { k: 'v' } });
    });

    it('records a copy checkpoint as a change of the volume only', async () => {
      await t.given([
        volumeCreated({ source: { kind: 'volume', volumeId: SNAPSHOT } }),
        event('VolumeCopyProgressed', { volumeId: VOLUME, bytesDone: 64, bytesTotal: 128, progressedAt: at(5) }),
      ]);
      expect(t.catalog.getVolume(VOLUME, ownScope)).toMatchObject({ status: 'creating', updatedAt: at(5) });
    });
  });
});
