import type { Catalog } from '@strata/catalog';
import {
  backupDecider,
  backupStreamId,
  isLeaseLive,
  jobLeaseDecider,
  jobLeaseStreamId,
  snapshotDecider,
  snapshotStreamId,
  volumeDecider,
  volumeStreamId,
  type Backup,
} from '@strata/domain';
import type { EventStore } from '@strata/event-store';
import type { ImportGuard } from './import-guard';
import { JobRecorder, stateOf, type JobCause } from './job-recorder';
import { requestRestore } from '@strata/workflows';

export interface RepairDeps {
  readonly store: EventStore;
  readonly catalog: Catalog;
  readonly now: () => Date;
  /** Streams an unfinished catalog import reached are not repaired: their history is still coming. */
  readonly importGuard?: Pick<ImportGuard, 'holds'>;
}

type Outcome = 'completed' | 'failed' | 'cancelled';

/**
 * Cinder's restart clean-up (`_cleanup_incomplete_backup_operations`), for locks whose job no longer
 * exists: a volume or snapshot left `backing-up`, or a volume left `restoring-backup`, by a backup that
 * is no longer running (reset by an admin, finished by a worker that died before releasing the lock)
 * and whose job lease nobody holds (a backup its job ended: whatever the lease). Work that can still
 * resume (a `creating` backup, a `restoring` backup) is left to its job. The lock ends with the outcome
 * the backup's stream records; a restore that was reset while its worker was down is recorded as
 * cancelled, as a live worker would have.
 */
export const repairStaleLocks = async (deps: RepairDeps, cause: JobCause): Promise<number> => {
  const { catalog } = deps;
  const recorder = new JobRecorder(deps.store, cause);
  const all = { projectId: '', allProjects: true };
  const page = { sort: [], limit: 1_000_000, marker: null, offset: 0, scope: all, withCount: false };
  const now = () => deps.now().toISOString();
  let repaired = 0;
  const held = async (...streamIds: string[]) => (await deps.importGuard?.holds(streamIds)) ?? false;

  for (const v of catalog.listVolumes({ ...page, filters: { status: 'backing-up' } }).rows) {
    if (!v.lockedBy || (await held(volumeStreamId(v.id), backupStreamId(v.lockedBy)))) continue;
    const outcome = await staleBackupOutcome(deps, v.lockedBy);
    if (!outcome) continue;
    await recorder.record(volumeStreamId(v.id), volumeDecider, {
      type: 'EndVolumeBackup',
      data: { volumeId: v.id, backupId: v.lockedBy, outcome, now: now() },
    });
    repaired++;
  }
  for (const s of catalog.listSnapshots({ ...page, filters: { status: 'backing-up' } }).rows) {
    if (!s.lockedBy || (await held(snapshotStreamId(s.id), backupStreamId(s.lockedBy)))) continue;
    const outcome = await staleBackupOutcome(deps, s.lockedBy);
    if (!outcome) continue;
    await recorder.record(snapshotStreamId(s.id), snapshotDecider, {
      type: 'EndSnapshotBackup',
      data: { snapshotId: s.id, backupId: s.lockedBy, outcome, now: now() },
    });
    repaired++;
  }
  // A volume being created from a backup shows `creating` while its restore holds it.
  const restoreLocked = [
    ...catalog.listVolumes({ ...page, filters: { status: 'restoring-backup' } }).rows,
    ...catalog.listVolumes({ ...page, filters: { status: 'creating' } }).rows.filter((v) => v.lockedBy !== null),
  ];
  for (const v of restoreLocked) {
    const backupId = v.lockedBy;
    if (!backupId || (await held(volumeStreamId(v.id), backupStreamId(backupId)))) continue;
    if (!(await restoreEndedByItsJob(deps, backupId, v.id)) && (await leaseIsLive(deps, backupId))) continue;
    // A workflow's lock whose restore was never asked for is finished first (asked for, or given back).
    if ((await requestRestore(deps.store, recorder, backupId, v.id, now())) === 'refused') {
      repaired++;
      continue;
    }
    let lastOutcome: Outcome | null = null;
    const backup = await stateOf(deps.store, backupStreamId(backupId), backupDecider, (e) => {
      if (!('volumeId' in e.data) || e.data.volumeId !== v.id) return;
      if (e.type === 'RestoreRequested') lastOutcome = null;
      if (e.type === 'RestoreCompleted') lastOutcome = 'completed';
      if (e.type === 'RestoreFailed') lastOutcome = 'failed';
      if (e.type === 'RestoreCancelled') lastOutcome = 'cancelled';
    });
    if (backup.status === 'restoring' && backup.restoringTo === v.id) continue; // the restore job resumes it
    let outcome: Outcome = lastOutcome ?? 'failed';
    if (backup.status !== 'absent' && backup.restoringTo === v.id) {
      // Reset away from `restoring` while no worker ran the restore: finish the cancellation.
      await recorder.record(backupStreamId(backupId), backupDecider, {
        type: 'CancelRestore',
        data: { backupId, volumeId: v.id, now: now() },
      });
      outcome = 'cancelled';
    }
    await recorder.record(volumeStreamId(v.id), volumeDecider, {
      type: 'EndVolumeRestore',
      data: { volumeId: v.id, backupId, outcome, now: now() },
    });
    repaired++;
  }
  return repaired;
};

/**
 * The restore job recorded how the restore onto `volumeId` ended (RestoreCompleted, RestoreFailed): it
 * writes the target no more, and all it has left is giving the lock back with that outcome.
 */
const restoreEndedByItsJob = async (deps: RepairDeps, backupId: string, volumeId: string) => {
  let ended = false;
  const backup = await stateOf(deps.store, backupStreamId(backupId), backupDecider, (e) => {
    if (!('volumeId' in e.data) || e.data.volumeId !== volumeId) return;
    if (e.type === 'RestoreRequested') ended = false;
    if (e.type === 'RestoreCompleted' || e.type === 'RestoreFailed') ended = true;
  });
  return ended && !(backup.status === 'restoring' && backup.restoringTo === volumeId);
};

const leaseIsLive = async (deps: RepairDeps, backupId: string) =>
  isLeaseLive(await stateOf(deps.store, jobLeaseStreamId({ kind: 'backup', id: backupId }), jobLeaseDecider), deps.now().toISOString());

/**
 * Null while the lock is in use (its backup runs, resumes, or is being deleted) or may still be. A
 * backup whose job recorded its outcome (BackupCompleted, BackupFailed) has stopped reading its source:
 * what is left of the job is giving the lock back with that same outcome, so the lock ends at once even
 * while the job's lease is live (a SIGKILLed worker's lease lasts until it lapses; a live job's own
 * release then decides nothing). A status an admin reset is no such sign: the job may still be reading.
 */
const staleBackupOutcome = async (deps: RepairDeps, backupId: string): Promise<Outcome | null> => {
  let endedByItsJob = false;
  const backup: Backup = await stateOf(deps.store, backupStreamId(backupId), backupDecider, (e) => {
    if (e.type === 'BackupCompleted' || e.type === 'BackupFailed') endedByItsJob = true;
    if (e.type === 'BackupStatusReset' || e.type === 'BackupRequested') endedByItsJob = false;
  });
  const ended = endedByItsJob && (backup.status === 'available' || backup.status === 'error');
  if (!ended && (await leaseIsLive(deps, backupId))) return null;
  switch (backup.status) {
    // A lock carrying its backup shows it in the catalog, `creating`: its workflow (run by the backup
    // job the sweep resumes) records it. A lock without one was taken before workflows, by a request
    // that died before recording its backup: nothing will ever record it.
    case 'absent':
      return deps.catalog.getBackup(backupId, { projectId: '', allProjects: true }) ? null : 'failed';
    case 'creating':
      return null;
    case 'deleting':
      return backup.statusBeforeDeletion === 'creating' ? null : 'cancelled';
    case 'deleted':
      return 'cancelled';
    case 'available':
      return 'completed';
    default:
      return 'failed';
  }
};
