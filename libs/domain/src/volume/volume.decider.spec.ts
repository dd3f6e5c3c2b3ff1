import { InvalidInput, InvalidVolume, VolumeNotFound } from '../errors';
import { DeciderSpecification } from '../testing/decider-specification';
import type { VolumeCommand } from './volume.commands';
import { volumeDecider } from './volume.decider';
import type { VolumeEvent } from './volume.events';

const given = DeciderSpecification.for(volumeDecider);
const volumeId = 'a0000000-0000-4000-8000-000000000001';
const backupId = 'b0000000-0000-4000-8000-000000000001';
const NOW = '2026-11-27T10:00:00.000Z';

const created = (sizeGb = 1, restoreOf?: { backupId: string }): VolumeEvent => ({
  type: 'VolumeCreated',
  data: {
    volumeId,
    projectId: 'p',
    userId: 'u',
    name: 'vol1',
    description: null,
    sizeGb,
    availabilityZone: 'nova',
    volumeType: null,
    encryptionKeyId: null,
    metadata: {},
    source: { kind: 'blank' },
    createdAt: NOW,
    ...(restoreOf ? { restoreOf } : {}),
  },
});
const provisioned = (sizeGb = 1): VolumeEvent => ({
  type: 'VolumeProvisioned',
  data: { volumeId, location: { kind: 'file', path: '/v.img', sizeBytes: sizeGb * 2 ** 30, owned: true }, sizeGb, provisionedAt: NOW },
});
const attached: VolumeEvent = {
  type: 'VolumeAttached',
  data: { volumeId, instanceUuid: null, hostName: null, mountpoint: null, attachedAt: NOW },
};
const startBackup = (force = false): VolumeCommand => ({ type: 'StartVolumeBackup', data: { volumeId, backupId, force, now: NOW } });
const backupStarted = (previousStatus: 'available' | 'in-use'): VolumeEvent => ({
  type: 'VolumeBackupStarted',
  data: { volumeId, backupId, previousStatus, startedAt: NOW },
});

describe('RecordVolumeProvisioned', () => {
  const record: VolumeCommand = {
    type: 'RecordVolumeProvisioned',
    data: { volumeId, location: { kind: 'file', path: '/v.img', sizeBytes: 2 ** 30, owned: true }, sizeGb: 1, now: NOW },
  };
  it('makes a created volume available', () => given([created()]).when(record).then([provisioned()]));
  it('locks a volume created for a restore for that restore, in the same append', () =>
    given([created(1, { backupId })])
      .when(record)
      .then([provisioned(), { type: 'VolumeRestoreStarted', data: { volumeId, backupId, startedAt: NOW, volumeIsNew: true } }]));
  it('records nothing for a volume already provisioned', () => given([created(), provisioned()]).when(record).then([]));
});

describe('StartVolumeBackup', () => {
  it('locks an available volume as backing-up, remembering its status', () =>
    given([created(), provisioned()])
      .when(startBackup())
      .then([backupStarted('available')]));
  it('refuses an in-use volume without force', () =>
    given([created(), provisioned(), attached])
      .when(startBackup())
      .thenThrows(InvalidVolume, 'Invalid volume: Backing up an in-use volume must use the force flag.'));
  it('backs up an in-use volume with force', () =>
    given([created(), provisioned(), attached])
      .when(startBackup(true))
      .then([backupStarted('in-use')]));
  it('allows one backup per volume at a time', () =>
    given([created(), provisioned(), backupStarted('available')])
      .when({ type: 'StartVolumeBackup', data: { volumeId, backupId: 'other', force: false, now: NOW } })
      .thenThrows(
        InvalidVolume,
        'Invalid volume: Volume to be backed up must be available or in-use, but the current status is "backing-up".',
      ));
  it('refuses a volume that does not exist', () => given([]).when(startBackup()).thenThrows(VolumeNotFound));
});

describe('EndVolumeBackup', () => {
  it('returns an in-use volume to in-use', () =>
    given([created(), provisioned(), attached, backupStarted('in-use')])
      .when({ type: 'EndVolumeBackup', data: { volumeId, backupId, outcome: 'completed', now: NOW } })
      .then([{ type: 'VolumeBackupEnded', data: { volumeId, backupId, outcome: 'completed', status: 'in-use', endedAt: NOW } }]));
  it('records nothing when another backup holds the lock', () =>
    given([created(), provisioned(), backupStarted('available')])
      .when({ type: 'EndVolumeBackup', data: { volumeId, backupId: 'other', outcome: 'failed', now: NOW } })
      .then([]));
});

describe('StartVolumeRestore', () => {
  const GIB = 1 << 30;
  const restore = (backupSizeGb: number, backupSizeBytes = backupSizeGb * GIB): VolumeCommand => ({
    type: 'StartVolumeRestore',
    data: { volumeId, backupId, backupSizeGb, backupSizeBytes, now: NOW },
  });
  /** A managed file of `sizeBytes`: Cinder shows it rounded up to whole GiB. */
  const managedFile = (sizeBytes: number): VolumeEvent[] => [
    created(0),
    {
      type: 'VolumeProvisioned',
      data: {
        volumeId,
        location: { kind: 'file', path: '/srv/disk.img', sizeBytes, owned: false },
        sizeGb: Math.ceil(sizeBytes / GIB),
        provisionedAt: NOW,
      },
    },
  ];
  const started: VolumeEvent = { type: 'VolumeRestoreStarted', data: { volumeId, backupId, startedAt: NOW } };
  it('refuses a volume smaller than the backup', () =>
    given([created(1), provisioned(1)])
      .when(restore(2))
      .thenThrows(InvalidVolume, 'Invalid volume: volume size 1 is too small to restore backup of size 2.'));
  it('accepts a volume exactly as large as the backup', () =>
    given([created(2), provisioned(2)])
      .when(restore(2))
      .then([started]));
  it('refuses a managed file smaller than the backup in bytes, though both read as 1 GiB, saying bytes', () =>
    given(managedFile(1000))
      .when(restore(1))
      .thenThrows(InvalidVolume, 'Invalid volume: volume size 1000 bytes is too small to restore backup of size 1073741824 bytes.'));
  it('accepts a managed file that holds every byte of the backup', () => given(managedFile(1000)).when(restore(1, 1000)).then([started]));
  it('speaks GiB when the sizes differ in GiB, as Cinder does', () =>
    given(managedFile(1000))
      .when(restore(2))
      .thenThrows(InvalidVolume, 'Invalid volume: volume size 1 is too small to restore backup of size 2.'));
  it('refuses a volume that is not available', () =>
    given([created(2), provisioned(2), attached])
      .when(restore(1))
      .thenThrows(InvalidVolume, 'Invalid volume: Volume to be restored to must be available'));
  it('leaves a failed restore target in error_restoring', () =>
    given([created(1), provisioned(1), { type: 'VolumeRestoreStarted', data: { volumeId, backupId, startedAt: NOW } }])
      .when({ type: 'EndVolumeRestore', data: { volumeId, backupId, outcome: 'failed', now: NOW } })
      .thenState((v) => expect(v.status).toBe('error_restoring')));
});

describe('RequestVolumeDeletion', () => {
  it('refuses a volume that has snapshots', () =>
    given([created(), provisioned()])
      .when({ type: 'RequestVolumeDeletion', data: { volumeId, liveSnapshotCount: 1, now: NOW } })
      .thenThrows(InvalidVolume));
  it('refuses a volume being backed up', () =>
    given([created(), provisioned(), backupStarted('available')])
      .when({ type: 'RequestVolumeDeletion', data: { volumeId, liveSnapshotCount: 0, now: NOW } })
      .thenThrows(InvalidVolume));
  it('deletes an available volume', () =>
    given([created(), provisioned()])
      .when({ type: 'RequestVolumeDeletion', data: { volumeId, liveSnapshotCount: 0, now: NOW } })
      .then([{ type: 'VolumeDeletionRequested', data: { volumeId, requestedAt: NOW } }]));
});

describe('CreateVolume', () => {
  const create = (overrides: Partial<Extract<VolumeCommand, { type: 'CreateVolume' }>['data']>): VolumeCommand => ({
    type: 'CreateVolume',
    data: { ...(created().data as Extract<VolumeEvent, { type: 'VolumeCreated' }>['data']), ...overrides },
  });
  it('records a new volume', () => given([]).when(create({})).then([created()]));
  it('refuses a size beyond DB_MAX_INT, so the read models can always store it', () =>
    given([])
      .when(create({ sizeGb: 2 ** 63 }))
      .thenThrows(InvalidInput, `Invalid input received: VolumeCreated data.sizeGb must be at most 2147483647, not ${2 ** 63}.`));
  it('refuses a blank volume of 0 GiB', () =>
    given([])
      .when(create({ sizeGb: 0 }))
      .thenThrows(InvalidInput, "Invalid input received: A volume's size must be at least 1 GiB, not 0."));
  it('refuses a name longer than 255 characters', () =>
    given([])
      .when(create({ name: 'n'.repeat(256) }))
      .thenThrows(InvalidInput, 'Invalid input received: VolumeCreated data.name must have at most 255 characters, not 256.'));
  it('refuses metadata that is not text', () =>
    given([])
      .when(create({ metadata: { k: { deep: [] } } as never }))
      .thenThrows(InvalidInput, 'Invalid input received: VolumeCreated data.metadata.k must be a string, not an object.'));
});

describe('WithdrawVolume (its quota claim was refused)', () => {
  const withdraw = { type: 'WithdrawVolume', data: { volumeId, now: NOW } } as const;
  it('records a volume still being created as deleted, once', () => {
    given([created()])
      .when(withdraw)
      .then([{ type: 'VolumeDeleted', data: { volumeId, deletedAt: NOW } }]);
    given([created(), { type: 'VolumeDeleted', data: { volumeId, deletedAt: NOW } }])
      .when(withdraw)
      .then([]);
  });
  it('leaves a provisioned volume alone', () => given([created(), provisioned()]).when(withdraw).then([]));
});
