import { assertNever, type Decider } from '../decider';
import { InvalidSnapshot, InvalidVolume, SnapshotNotFound } from '../errors';
import type { SnapshotCommand } from './snapshot.commands';
import type { SnapshotEvent } from './snapshot.events';
import { evolveSnapshot, initialSnapshotState, type Snapshot, type SnapshotRecord } from './snapshot.state';
import { checkedDecider } from '../schema/checked-decider';

const existing = (state: Snapshot, snapshotId: string): SnapshotRecord => {
  if (state.status === 'absent' || state.status === 'deleted') throw new SnapshotNotFound(snapshotId);
  return state;
};

export const decideSnapshot = (command: SnapshotCommand, state: Snapshot): SnapshotEvent[] => {
  const { data } = command;
  switch (command.type) {
    case 'CreateSnapshot': {
      if (state.status !== 'absent') throw new InvalidSnapshot(`Snapshot ${data.snapshotId} already exists.`);
      const { snapshotId, projectId, userId, name, description, metadata, volume, force, now } = command.data;
      if (volume.status !== 'available' && !(volume.status === 'in-use' && force))
        throw new InvalidVolume(`Volume ${volume.id} status must be available, but current status is: ${volume.status}.`);
      return [
        {
          type: 'SnapshotCreated',
          data: {
            snapshotId,
            volumeId: volume.id,
            projectId,
            userId,
            name,
            description,
            sizeGb: volume.sizeGb,
            metadata,
            createdAt: now,
          },
        },
      ];
    }
    case 'RecordSnapshotProvisioned': {
      const s = existing(state, data.snapshotId);
      if (s.status !== 'creating') return [];
      return [{ type: 'SnapshotProvisioned', data: { snapshotId: s.id, location: command.data.location, provisionedAt: data.now } }];
    }
    case 'RecordSnapshotProvisioningFailed': {
      const s = existing(state, data.snapshotId);
      if (s.status !== 'creating') return [];
      return [{ type: 'SnapshotProvisioningFailed', data: { snapshotId: s.id, reason: command.data.reason, failedAt: data.now } }];
    }
    case 'StartSnapshotBackup': {
      const s = existing(state, data.snapshotId);
      const { volumeId, backupId, now, backup } = command.data;
      if (s.status === 'backing-up' && s.lockedBy === backupId) return [];
      if (s.volumeId !== volumeId) throw new InvalidVolume(`Volume ${volumeId} does not match with snapshot.volume_id ${s.volumeId}.`);
      if (s.status !== 'available')
        throw new InvalidSnapshot(`Snapshot to be backed up must be available, but the current status is "${s.status}".`);
      return [{ type: 'SnapshotBackupStarted', data: { snapshotId: s.id, backupId, startedAt: now, ...(backup ? { backup } : {}) } }];
    }
    case 'EndSnapshotBackup': {
      const s = existing(state, data.snapshotId);
      if (s.status !== 'backing-up' || s.lockedBy !== command.data.backupId) return [];
      const { backupId, outcome, now } = command.data;
      return [{ type: 'SnapshotBackupEnded', data: { snapshotId: s.id, backupId, outcome, endedAt: now } }];
    }
    case 'RequestSnapshotDeletion': {
      const s = existing(state, data.snapshotId);
      if (!['available', 'error', 'error_deleting'].includes(s.status))
        throw new InvalidSnapshot('Volume Snapshot status must be available or error.');
      return [{ type: 'SnapshotDeletionRequested', data: { snapshotId: s.id, requestedAt: data.now } }];
    }
    case 'RecordSnapshotDeleted': {
      const s = existing(state, data.snapshotId);
      if (s.status !== 'deleting') return [];
      return [{ type: 'SnapshotDeleted', data: { snapshotId: s.id, deletedAt: data.now } }];
    }
    case 'WithdrawSnapshot': {
      if (state.status === 'deleted') return []; // withdrawn already
      const s = existing(state, data.snapshotId);
      if (s.status !== 'creating' || s.location !== null) return [];
      return [{ type: 'SnapshotDeleted', data: { snapshotId: s.id, deletedAt: data.now } }];
    }
    case 'RecordSnapshotDeletionFailed': {
      const s = existing(state, data.snapshotId);
      if (s.status !== 'deleting') return [];
      return [{ type: 'SnapshotDeletionFailed', data: { snapshotId: s.id, reason: command.data.reason, failedAt: data.now } }];
    }
    default:
      return assertNever(command);
  }
};

export const snapshotDecider: Decider<SnapshotCommand, Snapshot, SnapshotEvent> = checkedDecider({
  decide: decideSnapshot,
  evolve: evolveSnapshot,
  initialState: initialSnapshotState,
});
