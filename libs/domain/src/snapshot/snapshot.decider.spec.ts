import { InvalidSnapshot, InvalidVolume } from '../errors';
import { DeciderSpecification } from '../testing/decider-specification';
import type { SnapshotCommand } from './snapshot.commands';
import { snapshotDecider } from './snapshot.decider';
import type { SnapshotEvent } from './snapshot.events';

const given = DeciderSpecification.for(snapshotDecider);
const snapshotId = 'c0000000-0000-4000-8000-000000000001';
const volumeId = 'a0000000-0000-4000-8000-000000000001';
const NOW = '2026-11-27T10:00:00.000Z';

const create = (status: string, force = false): SnapshotCommand => ({
  type: 'CreateSnapshot',
  data: {
    snapshotId,
    projectId: 'p',
    userId: 'u',
    name: 's',
    description: null,
    metadata: {},
    force,
    volume: { id: volumeId, status, sizeGb: 1 },
    now: NOW,
  },
});
const created: SnapshotEvent = {
  type: 'SnapshotCreated',
  data: { snapshotId, volumeId, projectId: 'p', userId: 'u', name: 's', description: null, sizeGb: 1, metadata: {}, createdAt: NOW },
};
const provisioned: SnapshotEvent = {
  type: 'SnapshotProvisioned',
  data: { snapshotId, location: { kind: 'file', path: '/s.img', sizeBytes: 1 << 30, owned: true }, provisionedAt: NOW },
};
const startBackup = (forVolume = volumeId): SnapshotCommand => ({
  type: 'StartSnapshotBackup',
  data: { snapshotId, volumeId: forVolume, backupId: 'b1000000-0000-4000-8000-000000000001', now: NOW },
});

describe('CreateSnapshot', () => {
  it('snapshots an available volume', () => given([]).when(create('available')).then([created]));
  it('refuses an in-use volume without force', () => given([]).when(create('in-use')).thenThrows(InvalidVolume));
});

describe('StartSnapshotBackup', () => {
  it('refuses a snapshot that belongs to another volume', () =>
    given([created, provisioned])
      .when(startBackup('other-volume'))
      .thenThrows(InvalidVolume, `Invalid volume: Volume other-volume does not match with snapshot.volume_id ${volumeId}.`));
  it('refuses a snapshot that is not available', () =>
    given([created])
      .when(startBackup())
      .thenThrows(InvalidSnapshot, 'Invalid snapshot: Snapshot to be backed up must be available, but the current status is "creating".'));
  it('locks an available snapshot', () =>
    given([created, provisioned])
      .when(startBackup())
      .then([{ type: 'SnapshotBackupStarted', data: { snapshotId, backupId: 'b1000000-0000-4000-8000-000000000001', startedAt: NOW } }]));
});

describe('WithdrawSnapshot (its quota claim was refused)', () => {
  const withdraw: SnapshotCommand = { type: 'WithdrawSnapshot', data: { snapshotId, now: NOW } };
  it('records a snapshot still being created as deleted, and leaves a provisioned one alone', () => {
    given([created])
      .when(withdraw)
      .then([{ type: 'SnapshotDeleted', data: { snapshotId, deletedAt: NOW } }]);
    given([created, provisioned]).when(withdraw).then([]);
    given([created, { type: 'SnapshotDeleted', data: { snapshotId, deletedAt: NOW } }])
      .when(withdraw)
      .then([]);
  });
});
