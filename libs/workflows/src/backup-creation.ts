import {
  backupDecider,
  backupStreamId,
  DomainError,
  snapshotDecider,
  snapshotStreamId,
  volumeDecider,
  volumeStreamId,
  type BackupRequested,
  type SnapshotBackupStarted,
  type VolumeBackupStarted,
} from '@strata/domain';
import type { EventStore } from '@strata/event-store';
import { backupQuotaAmounts, claimQuota, type QuotaDefaults } from './quota-claim';
import { requestRestore } from './restore-request';
import { newestEventWhere, stateOf } from './state-of';
import type { StepRecorder } from './step-recorder';

/** The stream whose `backing-up` lock a backup's creation took: its volume's, or its snapshot's. */
export type BackupLock = { readonly kind: 'volume' | 'snapshot'; readonly id: string };

/** The steps' idempotency keys: the workflow's id is the backup's, each step names itself. */
export const backupCreationStepKey = (backupId: string, step: 'link' | 'record' | 'release') => `backup-create:${backupId}:${step}`;
const stepKey = backupCreationStepKey;

/**
 * The backup-creation workflow after its first step. The api took the lock on the volume (or snapshot)
 * and put the backup as requested on it; from there, each step decided at its own stream's revision:
 *
 *   1. (api)  VolumeBackupStarted | SnapshotBackupStarted, carrying the backup
 *   2. (api)  QuotaReserved | QuotaReservationRefused on the project's quota (quota-claim.ts); refused,
 *             the lock is given back (4, `cancelled`) and nothing else is recorded: the backup never was
 *   3.        BackupChildAdded on the parent, for an incremental
 *   4.        BackupRequested on the backup (and BackupFailed when step 3 was refused: the parent went away)
 *   5.        VolumeBackupEnded | SnapshotBackupEnded, only after such a refusal (else the backup job ends it)
 *
 * The api runs 1 and 2 in the request (a refusal is its 413); this runs 2 again first, so a process
 * that died between 1 and 2 leaves a workflow that is claimed (or withdrawn) here, never one that runs
 * unclaimed.
 *
 * Every step is keyed by the backup's id, so running this again after a crash at any point replays what
 * was recorded and decides only what was not: a redelivered trigger, a sweep, a second worker all end
 * the same way. Returns once the backup's stream holds it (or holds nothing, for a lock that is not one).
 */
export const recordBackupRequest = async (
  store: EventStore,
  recorder: StepRecorder,
  backupId: string,
  lock: BackupLock,
  now: string,
  quotaDefaults: QuotaDefaults,
) => {
  const found: { backup?: BackupRequested['data'] } = {};
  const held = await lockHeld(store, lock, backupId, (backup) => (found.backup = backup));
  const { backup } = found;
  if (!backup) return; // a lock taken before workflows: its backup was recorded by the api
  const claim = await claimQuota(recorder, {
    projectId: backup.projectId,
    subject: { kind: 'backup', id: backupId },
    amounts: backupQuotaAmounts(backup.sizeGb),
    defaults: quotaDefaults(),
    now,
  });
  if (!claim.accepted) {
    if (held) await endBackupLock(recorder, backupId, lock, 'cancelled', now);
    return;
  }
  // The lock is gone only if an admin reset the volume or snapshot first: the backup cannot run.
  let failReason = held ? null : `The ${lock.kind} ${lock.id} was reset before backup ${backupId} could start.`;
  if (failReason === null && backup.parentId !== null) {
    try {
      await recorder.record(
        backupStreamId(backup.parentId),
        backupDecider,
        { type: 'AddBackupChild', data: { backupId: backup.parentId, childId: backupId, now } },
        stepKey(backupId, 'link'),
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      failReason = error.message; // the parent was deleted, or is being deleted, since it was chosen
    }
  }
  await recorder.record(
    backupStreamId(backupId),
    backupDecider,
    { type: 'RecordBackupRequest', data: { backup, failReason, now } },
    stepKey(backupId, 'record'),
  );
  if (failReason === null || !held) return;
  await endBackupLock(recorder, backupId, lock, 'failed', now);
};

/**
 * Gives the lock back after a refused step: `failed` once the backup is recorded, `cancelled` when its
 * quota claim was refused (the catalog then drops the row it showed from the lock). One key: a workflow
 * ends its lock once, whoever runs the step.
 */
export const endBackupLock = (recorder: StepRecorder, backupId: string, lock: BackupLock, outcome: 'failed' | 'cancelled', now: string) => {
  const end = { backupId, outcome, now };
  return lock.kind === 'snapshot'
    ? recorder.record(
        snapshotStreamId(lock.id),
        snapshotDecider,
        { type: 'EndSnapshotBackup', data: { ...end, snapshotId: lock.id } },
        stepKey(backupId, 'release'),
      )
    : recorder.record(
        volumeStreamId(lock.id),
        volumeDecider,
        { type: 'EndVolumeBackup', data: { ...end, volumeId: lock.id } },
        stepKey(backupId, 'release'),
      );
};

/**
 * Whether `backupId` holds the lock now; `onRequest` gets the backup its lock event carried, if any. The
 * state is the stream's fold (carried on from the one this process kept); the lock event is looked for
 * from the stream's end, where it is: a volume's stream grows by two events with every backup of it.
 */
const lockHeld = async (store: EventStore, lock: BackupLock, backupId: string, onRequest: (b: BackupRequested['data']) => void) => {
  const streamId = lock.kind === 'snapshot' ? snapshotStreamId(lock.id) : volumeStreamId(lock.id);
  const state = lock.kind === 'snapshot' ? await stateOf(store, streamId, snapshotDecider) : await stateOf(store, streamId, volumeDecider);
  const taken = await newestEventWhere(
    store,
    streamId,
    (e): e is VolumeBackupStarted | SnapshotBackupStarted =>
      (e.type === 'VolumeBackupStarted' || e.type === 'SnapshotBackupStarted') &&
      e.data.backupId === backupId &&
      e.data.backup !== undefined,
  );
  if (taken?.data.backup) onRequest(taken.data.backup);
  return state.status === 'backing-up' && state.lockedBy === backupId;
};

/** The catalog's view of a backup, as far as its workflows go. */
export interface BackupWorkflowRow {
  readonly id: string;
  readonly status: string;
  readonly volumeId: string;
  readonly snapshotId: string | null;
  readonly restoreVolumeId: string | null;
}

/**
 * Brings a backup's stream up to what the catalog shows from a workflow's first step: a `creating`
 * backup whose stream does not hold it yet is recorded, a `restoring` one has its restore requested.
 * A command on the backup runs this first (the api, when no worker has yet), so it is decided on the
 * state its user sees; being keyed, it races the worker's run of the same steps harmlessly.
 */
export const catchUpBackupWorkflows = async (
  store: EventStore,
  recorder: StepRecorder,
  row: BackupWorkflowRow,
  now: string,
  quotaDefaults: QuotaDefaults,
) => {
  if (row.status === 'creating' && (await stateOf(store, backupStreamId(row.id), backupDecider)).status === 'absent')
    await recordBackupRequest(
      store,
      recorder,
      row.id,
      row.snapshotId ? { kind: 'snapshot', id: row.snapshotId } : { kind: 'volume', id: row.volumeId },
      now,
      quotaDefaults,
    );
  if (row.status === 'restoring' && row.restoreVolumeId) await requestRestore(store, recorder, row.id, row.restoreVolumeId, now);
};
