import { verifyBackupChain } from '@strata/chunked-driver';
import { missingAncestorOf } from '@strata/catalog';
import { backupDecider, backupStreamId, incompleteChain } from '@strata/domain';
import type { BackupJobDeps } from '../backup/backup-job';
import { JobRecorder, stateOf, type JobCause } from '../job-recorder';

/** The object or block a driver error is about, when it names one (md5, missing object, bad JSON, block hash). */
const culpritOf = (error: unknown): { object: string | null; blockIndex: number | null } => {
  const e = error as { object?: unknown; blockIndex?: unknown; unexpected?: unknown };
  const object =
    typeof e.object === 'string' ? e.object : Array.isArray(e.unexpected) && typeof e.unexpected[0] === 'string' ? e.unexpected[0] : null;
  return { object, blockIndex: typeof e.blockIndex === 'number' ? e.blockIndex : null };
};

/**
 * Reads every object of the chain (full first), checks each md5 and recomputes the block hashes against
 * the requested backup's `_sha256file`, writing nowhere: what a restore checks, without a target. The
 * outcome is recorded once; a job interrupted by shutdown records nothing and runs again at the next start.
 */
export const runVerifyJob = async (deps: BackupJobDeps, cause: JobCause, backupId: string, verificationId: string, signal: AbortSignal) => {
  const recorder = new JobRecorder(deps.store, cause);
  const now = () => deps.now().toISOString();
  const backup = await stateOf(deps.store, backupStreamId(backupId), backupDecider);
  if (backup.status === 'absent' || backup.pendingVerificationId !== verificationId) return;
  try {
    const chain = deps.catalog.backupChain(backupId);
    const missingParent = missingAncestorOf(chain);
    if (missingParent) throw incompleteChain(backupId, missingParent);
    const locations = chain.map((b) => {
      if (!b.container || !b.serviceMetadata) throw new Error(`Backup ${b.id} of the chain has no data in any repository.`);
      return { container: b.container, prefix: b.serviceMetadata };
    });
    const service = chain[chain.length - 1]?.service ?? deps.repositories.defaultService;
    const result = await verifyBackupChain({
      repository: deps.repositories.forService(service),
      chain: locations,
      signal,
      pool: deps.pool?.get(),
    });
    await recorder.record(backupStreamId(backupId), backupDecider, {
      type: 'RecordBackupVerified',
      data: { backupId, verificationId, chain: chain.map((b) => b.id), objects: result.objects, blocks: result.blocks, now: now() },
    });
  } catch (error) {
    if (deps.isStopping?.() || signal.aborted) return;
    await recorder.record(backupStreamId(backupId), backupDecider, {
      type: 'RecordBackupVerificationFailed',
      data: { backupId, verificationId, reason: (error as Error).message, ...culpritOf(error), now: now() },
    });
  }
};
