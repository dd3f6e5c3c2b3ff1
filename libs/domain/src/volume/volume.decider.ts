import { assertNever, type Decider } from '../decider';
import { InvalidInput, InvalidVolume, VolumeNotFound } from '../errors';
import type { StartVolumeRestore, VolumeCommand } from './volume.commands';
import type { VolumeEvent } from './volume.events';
import { evolveVolume, initialVolumeState, type Volume, type VolumeRecord } from './volume.state';
import { checkedDecider } from '../schema/checked-decider';
import {
  decideBeginDetaching,
  decideExtend,
  decideExtended,
  decideExtendFailed,
  decideReadonlyFlag,
  decideReserve,
  decideRollDetaching,
  decideSetBootable,
  decideUnreserve,
} from './decide-volume-actions';
import { decideDeleteMetadataKey, decideSetMetadata } from './decide-volume-metadata';
import { decideCopyProgress, decideRestoreMetadata } from './decide-volume-sources';

const DELETABLE = ['available', 'error', 'error_restoring', 'error_deleting', 'error_extending'];

const existing = (state: Volume, volumeId: string): VolumeRecord => {
  if (state.status === 'absent' || state.status === 'deleted') throw new VolumeNotFound(volumeId);
  return state;
};

/**
 * Decisions about one volume. The status locks (`backing-up`, `restoring-backup`) live here, so that
 * the append at the volume's expected revision is what makes "one backup per volume at a time" true.
 * Outcomes recorded by the worker are idempotent: recording one twice decides nothing.
 */
export const decideVolume = (command: VolumeCommand, state: Volume): VolumeEvent[] => {
  const { data } = command;
  switch (command.type) {
    case 'CreateVolume': {
      if (state.status !== 'absent') throw new InvalidVolume(`Volume ${data.volumeId} already exists.`);
      const { source, restoreOf } = command.data;
      // A managed volume's size is learnt when the worker inspects it; any other needs at least 1 GiB.
      if (source.kind !== 'managed' && command.data.sizeGb < 1)
        throw new InvalidInput(`Invalid input received: A volume's size must be at least 1 GiB, not ${command.data.sizeGb}.`);
      // A volume from a backup is the restore workflow's target: created to restore that backup, and no other.
      if (source.kind === 'backup' && restoreOf?.backupId !== source.backupId)
        throw new InvalidInput(`Invalid input received: A volume created from backup ${source.backupId} must be restored from it.`);
      const { bootable, ...created } = command.data;
      const events: VolumeEvent[] = [{ type: 'VolumeCreated', data: created }];
      if (bootable) events.push({ type: 'VolumeBootableSet', data: { volumeId: created.volumeId, bootable, setAt: created.createdAt } });
      return events;
    }
    case 'RecordVolumeProvisioned': {
      const v = existing(state, data.volumeId);
      if (v.status !== 'creating') return [];
      const { volumeId, location, sizeGb, now } = command.data;
      const provisioned: VolumeEvent = { type: 'VolumeProvisioned', data: { volumeId, location, sizeGb, provisionedAt: now } };
      // A volume created to restore a backup into is locked for it in the same append, so no crash can
      // leave it `available` with the restore never asked for (it was created at the backup's size).
      if (!v.restoreOf) return [provisioned];
      return [
        provisioned,
        { type: 'VolumeRestoreStarted', data: { volumeId, backupId: v.restoreOf.backupId, startedAt: now, volumeIsNew: true } },
      ];
    }
    case 'RecordVolumeProvisioningFailed': {
      const v = existing(state, data.volumeId);
      if (v.status !== 'creating') return [];
      return [{ type: 'VolumeProvisioningFailed', data: { volumeId: v.id, reason: command.data.reason, failedAt: command.data.now } }];
    }
    case 'AttachVolume': {
      const v = existing(state, data.volumeId);
      // Strata attaches read-write only, which a read-only volume refuses (Cinder's InvalidVolumeAttachMode).
      if (v.readonly) throw new InvalidInput(`Invalid attaching mode 'rw' for volume ${v.id}.`);
      // `attaching`: reserved by os-reserve, as Nova does before it attaches.
      if (v.status !== 'available' && v.status !== 'attaching')
        throw new InvalidVolume(`Volume status must be available or attaching to attach, but the current status is "${v.status}".`);
      const { instanceUuid, hostName, mountpoint } = command.data;
      return [{ type: 'VolumeAttached', data: { volumeId: v.id, instanceUuid, hostName, mountpoint, attachedAt: command.data.now } }];
    }
    case 'DetachVolume': {
      const v = existing(state, data.volumeId);
      // `detaching`: after os-begin_detaching.
      if (v.status !== 'in-use' && v.status !== 'detaching')
        throw new InvalidVolume(`Volume status must be in-use or detaching to detach, but the current status is "${v.status}".`);
      return [{ type: 'VolumeDetached', data: { volumeId: v.id, detachedAt: command.data.now } }];
    }
    case 'StartVolumeBackup':
      return decideStartBackup(command, existing(state, data.volumeId));
    case 'EndVolumeBackup': {
      const v = existing(state, data.volumeId);
      const { backupId, outcome } = command.data;
      if (v.status !== 'backing-up' || v.lockedBy !== backupId) return [];
      const status = v.previousStatus === 'in-use' ? 'in-use' : 'available';
      return [{ type: 'VolumeBackupEnded', data: { volumeId: v.id, backupId, outcome, status, endedAt: command.data.now } }];
    }
    case 'StartVolumeRestore':
      return decideStartRestore(command, existing(state, data.volumeId));
    case 'EndVolumeRestore': {
      const v = existing(state, data.volumeId);
      const { backupId, outcome } = command.data;
      if (v.status !== 'restoring-backup' || v.lockedBy !== backupId) return [];
      // A volume still being created from the backup ends in `error` when the restore fails, as Cinder's does.
      const failed = v.creatingFromBackup ? 'error' : 'error_restoring';
      const status = ({ completed: 'available', aborted: 'available', failed, cancelled: 'error' } as const)[outcome];
      return [{ type: 'VolumeRestoreEnded', data: { volumeId: v.id, backupId, outcome, status, endedAt: command.data.now } }];
    }
    case 'UpdateVolume': {
      const v = existing(state, data.volumeId);
      const { name, description, metadata, now } = command.data;
      return [{ type: 'VolumeUpdated', data: { volumeId: v.id, name, description, metadata, updatedAt: now } }];
    }
    case 'RequestVolumeDeletion': {
      const v = existing(state, data.volumeId);
      // A volume being created from a source is cancelled by its deletion: the copy stops, the restore is cancelled
      // (or, not yet provisioned, never asked for).
      const copying = v.status === 'creating' && v.source.kind !== 'blank' && v.source.kind !== 'managed';
      const restoringNew = v.status === 'restoring-backup' && v.creatingFromBackup && v.lockedBy !== null;
      if ((!DELETABLE.includes(v.status) && !copying && !restoringNew) || command.data.liveSnapshotCount > 0)
        throw new InvalidVolume(
          'Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.',
        );
      const stops = restoringNew && v.lockedBy ? { stopsRestoreOf: v.lockedBy } : {};
      return [{ type: 'VolumeDeletionRequested', data: { volumeId: v.id, requestedAt: command.data.now, ...stops } }];
    }
    case 'RecordVolumeDeleted': {
      const v = existing(state, data.volumeId);
      if (v.status !== 'deleting') return [];
      return [{ type: 'VolumeDeleted', data: { volumeId: v.id, deletedAt: command.data.now } }];
    }
    case 'WithdrawVolume': {
      if (state.status === 'deleted') return []; // withdrawn already
      const v = existing(state, data.volumeId);
      // Only what holds nothing yet: the workflow claims before it provisions, so a refused claim finds it so.
      if (v.status !== 'creating' || v.location !== null) return [];
      return [{ type: 'VolumeDeleted', data: { volumeId: v.id, deletedAt: command.data.now } }];
    }
    case 'RecordVolumeDeletionFailed': {
      const v = existing(state, data.volumeId);
      if (v.status !== 'deleting') return [];
      return [{ type: 'VolumeDeletionFailed', data: { volumeId: v.id, reason: command.data.reason, failedAt: command.data.now } }];
    }
    case 'ReserveVolume':
      return decideReserve(command, existing(state, data.volumeId));
    case 'UnreserveVolume':
      return decideUnreserve(command, existing(state, data.volumeId));
    case 'BeginVolumeDetaching':
      return decideBeginDetaching(command, existing(state, data.volumeId));
    case 'RollVolumeDetaching':
      return decideRollDetaching(command, existing(state, data.volumeId));
    case 'ExtendVolume':
      return decideExtend(command, existing(state, data.volumeId));
    case 'RecordVolumeExtended':
      return decideExtended(command, existing(state, data.volumeId));
    case 'RecordVolumeExtendFailed':
      return decideExtendFailed(command, existing(state, data.volumeId));
    case 'SetVolumeBootable':
      return decideSetBootable(command, existing(state, data.volumeId));
    case 'UpdateVolumeReadonlyFlag':
      return decideReadonlyFlag(command, existing(state, data.volumeId));
    case 'SetVolumeMetadata':
      return decideSetMetadata(command, existing(state, data.volumeId));
    case 'DeleteVolumeMetadataKey':
      return decideDeleteMetadataKey(command, existing(state, data.volumeId));
    case 'RecordVolumeCopyProgress':
      return decideCopyProgress(command, existing(state, data.volumeId));
    case 'RestoreVolumeMetadata':
      return decideRestoreMetadata(command, existing(state, data.volumeId));
    default:
      return assertNever(command);
  }
};

const decideStartBackup = ({ data }: Extract<VolumeCommand, { type: 'StartVolumeBackup' }>, v: VolumeRecord): VolumeEvent[] => {
  if (v.status === 'backing-up' && v.lockedBy === data.backupId) return [];
  if (v.status !== 'available' && v.status !== 'in-use')
    throw new InvalidVolume(`Volume to be backed up must be available or in-use, but the current status is "${v.status}".`);
  if (v.status === 'in-use' && !data.force) throw new InvalidVolume('Backing up an in-use volume must use the force flag.');
  return [
    {
      type: 'VolumeBackupStarted',
      data: {
        volumeId: v.id,
        backupId: data.backupId,
        previousStatus: v.status,
        startedAt: data.now,
        ...(data.backup ? { backup: data.backup } : {}),
      },
    },
  ];
};

const decideStartRestore = ({ data }: Extract<VolumeCommand, { type: 'StartVolumeRestore' }>, v: VolumeRecord): VolumeEvent[] => {
  if (v.status === 'restoring-backup' && v.lockedBy === data.backupId) return [];
  if (v.status !== 'available') throw new InvalidVolume('Volume to be restored to must be available');
  const tooSmall = restoreTargetTooSmall(v, data);
  if (tooSmall) throw new InvalidVolume(tooSmall);
  return [
    {
      type: 'VolumeRestoreStarted',
      data: {
        volumeId: v.id,
        backupId: data.backupId,
        startedAt: data.now,
        ...(data.volumeIsNew !== undefined ? { volumeIsNew: data.volumeIsNew } : {}),
      },
    },
  ];
};

/**
 * Cinder compares sizes in GiB, but a managed file or device need not be a whole number of GiB (a 1000-byte
 * file shows as 1 GiB), and a restore writes the backup's exact bytes: the target must hold them all.
 * The message speaks GiB when those differ, as Cinder's does, and bytes when the GiB would read equal.
 */
const restoreTargetTooSmall = (v: VolumeRecord, data: StartVolumeRestore['data']): string | null => {
  if (v.sizeGb < data.backupSizeGb) return `volume size ${v.sizeGb} is too small to restore backup of size ${data.backupSizeGb}.`;
  const volumeBytes = v.location?.sizeBytes;
  if (volumeBytes !== undefined && volumeBytes < data.backupSizeBytes)
    return `volume size ${volumeBytes} bytes is too small to restore backup of size ${data.backupSizeBytes} bytes.`;
  return null;
};

export const volumeDecider: Decider<VolumeCommand, Volume, VolumeEvent> = checkedDecider({
  decide: decideVolume,
  evolve: evolveVolume,
  initialState: initialVolumeState,
});
