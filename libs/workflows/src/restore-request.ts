import { backupDecider, backupStreamId, DomainError, volumeDecider, volumeStreamId, type VolumeRestoreStarted } from '@strata/domain';
import type { EventStore } from '@strata/event-store';
import { newestEventWhere, stateOf } from './state-of';
import type { StepRecorder } from './step-recorder';

/**
 * The restore workflow after its first step, the `restoring-backup` lock on the target:
 *
 *   1. (api)     VolumeRestoreStarted on an existing volume, or, for a new one, VolumeCreated with
 *                `restoreOf`, whose provisioning takes the lock in the same append
 *   2.           RestoreRequested on the backup (the restore job then runs and ends the lock)
 *   3.           VolumeRestoreEnded, `aborted` (`failed` for a new volume), only when step 2 was refused:
 *                the backup stopped being available since the api looked
 *
 * The workflow's id is the lock's: target, backup and when it was taken. Keyed by it, every step is
 * recorded once however often this runs. Returns 'requested' when the backup is (now) restoring onto
 * the target, 'refused' when the lock was given back, 'none' when there is no workflow lock to act on.
 */
export const restoreWorkflowId = (lock: Pick<VolumeRestoreStarted['data'], 'volumeId' | 'backupId' | 'startedAt'>) =>
  `restore:${lock.volumeId}:${lock.backupId}:${lock.startedAt}`;

export const requestRestore = async (store: EventStore, recorder: StepRecorder, backupId: string, volumeId: string, now: string) => {
  // The volume's fold (carried on from the one this process kept) and its last restore lock, read from the
  // stream's end: a volume's stream grows with every backup and restore of it.
  const volume = await stateOf(store, volumeStreamId(volumeId), volumeDecider);
  const lock = (
    await newestEventWhere(store, volumeStreamId(volumeId), (e): e is VolumeRestoreStarted => e.type === 'VolumeRestoreStarted')
  )?.data;
  const locked = volume.status === 'restoring-backup' && volume.lockedBy === backupId;
  // Not locked for this backup (any more), or locked before workflows, when the api recorded the request.
  if (!locked || !lock || lock.backupId !== backupId || lock.volumeIsNew === undefined) return 'none' as const;
  const key = restoreWorkflowId(lock);
  try {
    await recorder.record(
      backupStreamId(backupId),
      backupDecider,
      { type: 'RequestRestore', data: { backupId, volumeId, volumeIsNew: lock.volumeIsNew, now } },
      `${key}:request`,
    );
    return 'requested' as const;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    // A new volume holds nothing of value and goes to error_restoring, as Cinder leaves it; an existing one is untouched.
    const outcome = lock.volumeIsNew ? 'failed' : 'aborted';
    await recorder.record(
      volumeStreamId(volumeId),
      volumeDecider,
      { type: 'EndVolumeRestore', data: { volumeId, backupId, outcome, now } },
      `${key}:abort`,
    );
    return 'refused' as const;
  }
};
