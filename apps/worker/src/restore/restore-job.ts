import { OperationCancelled, runRestore } from '@strata/chunked-driver';
import { missingAncestorOf } from '@strata/catalog';
import {
  backupDecider,
  backupStreamId,
  incompleteChain,
  savedVolumeMetaOf,
  volumeDecider,
  volumeStreamId,
  type RestoreProgressed,
  type RestoreRequested,
} from '@strata/domain';
import type { BackupJobDeps } from '../backup/backup-job';
import { JobRecorder, stateOf, type JobCause } from '../job-recorder';
import { isAbandoned } from '../leases/job-lease';
import { newestEventWhere, requestRestore } from '@strata/workflows';

/**
 * Restores the chain (full first) onto the target volume, verifying every object and every block. A
 * restore whose worker died resumes after its last RestoreProgressed (the final check re-hashes it all).
 * It stops before the next object when the backup leaves `restoring` (an admin reset): the restore is
 * then recorded as cancelled and the volume goes to `error`, as in Cinder.
 */
export const runRestoreJob = async (deps: BackupJobDeps, cause: JobCause, backupId: string, signal: AbortSignal, target?: string) => {
  const recorder = new JobRecorder(deps.store, cause);
  const now = () => deps.now().toISOString();
  // Started by the lock on `target` (or found by a sweep): the restore workflow asks for the restore first.
  if (target && (await requestRestore(deps.store, recorder, backupId, target, now())) === 'refused') return;
  // The last request, and the last checkpoint after it: read back from the stream's end as far as the
  // request (the backup's stream grows with every restore of it), the state from the fold the process kept.
  const backup = await stateOf(deps.store, backupStreamId(backupId), backupDecider);
  let resumeFrom: RestoreProgressed['data'] | undefined;
  const request = (
    await newestEventWhere(deps.store, backupStreamId(backupId), (e): e is RestoreRequested => {
      if (e.type === 'RestoreProgressed') resumeFrom ??= e.data;
      return e.type === 'RestoreRequested';
    })
  )?.data;
  // Two reads, so a request made between them (after a reset, for another volume) is that restore's own job's.
  if (backup.status !== 'restoring' || !backup.restoringTo || !request || request.volumeId !== backup.restoringTo) return;
  const volumeId = backup.restoringTo;
  const isNew = request.volumeIsNew;
  const end = async (outcome: 'completed' | 'failed' | 'cancelled') =>
    recorder.record(volumeStreamId(volumeId), volumeDecider, {
      type: 'EndVolumeRestore',
      data: { volumeId, backupId, outcome, now: now() },
    });
  const cancel = async () => {
    await recorder.record(backupStreamId(backupId), backupDecider, { type: 'CancelRestore', data: { backupId, volumeId, now: now() } });
    await end('cancelled');
  };
  // A volume deleted while it was still being created from this backup: the restore is cancelled, not run.
  if ((await stateOf(deps.store, volumeStreamId(volumeId), volumeDecider)).status === 'deleting') return cancel();
  try {
    const target = deps.catalog.getVolume(volumeId, { projectId: '', allProjects: true });
    if (!target?.locationPath) throw new Error(`Volume ${volumeId} has no data location to restore into.`);
    const chain = deps.catalog.backupChain(backupId);
    const missingParent = missingAncestorOf(chain);
    if (missingParent) throw incompleteChain(backupId, missingParent);
    const locations = chain.map((b) => {
      if (!b.container || !b.serviceMetadata) throw new Error(`Backup ${b.id} of the chain has no data in any repository.`);
      // Each member from its own repository: a chain may span a change of backup_driver.
      return {
        container: b.container,
        prefix: b.serviceMetadata,
        repository: deps.repositories.forService(b.service ?? deps.repositories.defaultService),
      };
    });
    const service = chain[chain.length - 1]?.service ?? deps.repositories.defaultService;
    // A volume keeps its size: a managed file is never grown past its real bytes (the api refuses a larger
    // backup, but the file may have shrunk since), and a missing image is not silently made anew.
    const result = await runRestore({
      repository: deps.repositories.forService(service),
      chain: locations,
      target: { path: target.locationPath, isNew, fixedSize: true },
      signal,
      pool: deps.pool?.get(),
      onProgress: (p) => deps.onProgress?.(backupId, p.bytesDone, p.bytesTotal),
      resume: resumeFrom,
      onCheckpoint: ({ objectsDone, bytesDone, bytesTotal }) =>
        recorder
          .record(backupStreamId(backupId), backupDecider, {
            type: 'RecordRestoreProgress',
            data: { backupId, volumeId, objectsDone, bytesDone, bytesTotal: bytesTotal ?? bytesDone, now: now() },
          })
          .then(() => undefined),
    });
    // Cinder's driver applies each member's volume_meta after its data; a document it cannot read fails the restore.
    const saved = result.volumeMetas.map(savedVolumeMetaOf);
    await recorder.record(
      volumeStreamId(volumeId),
      volumeDecider,
      { type: 'RestoreVolumeMetadata', data: { volumeId, backupId, saved, now: now() } },
      `restore-meta:${volumeId}:${backupId}:${request.requestedAt}`,
    );
    await recorder.record(backupStreamId(backupId), backupDecider, {
      type: 'CompleteRestore',
      data: { backupId, volumeId, bytesWritten: result.bytesWritten, now: now() },
    });
    await end('completed');
  } catch (error) {
    // Suspended, not failed: the lease was lost or the worker stops; whoever holds the lease next resumes.
    if (deps.isStopping?.() || isAbandoned(signal)) return;
    if (error instanceof OperationCancelled || signal.aborted) return cancel();
    await recorder.record(backupStreamId(backupId), backupDecider, {
      type: 'FailRestore',
      data: { backupId, volumeId, reason: (error as Error).message, now: now() },
    });
    await end('failed');
  }
};
