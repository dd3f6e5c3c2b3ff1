import {
  backupDecider,
  backupStreamId,
  snapshotDecider,
  snapshotStreamId,
  volumeDecider,
  volumeStreamId,
  type QuotaLimits,
} from '@strata/domain';
import {
  backupQuotaAmounts,
  claimQuota,
  importClaimId,
  snapshotQuotaAmounts,
  volumeQuotaAmounts,
  type QuotaClaimOutcome,
} from './quota-claim';
import type { StepRecorder } from './step-recorder';

export interface CreationClaim {
  readonly projectId: string;
  readonly sizeGb: number;
  readonly defaults: QuotaLimits;
  readonly now: string;
}

/** A claim's outcome, and where the log stands once a refused creation was withdrawn (what to wait for). */
export type ClaimedCreation = QuotaClaimOutcome & { readonly settledAt: bigint };

const later = (a: bigint, b: bigint) => (a > b ? a : b);

/**
 * The second step of a volume's creation (a new volume, a managed one, one to restore a backup into),
 * after VolumeCreated: its claim on the project's quota. Refused, the volume is withdrawn (VolumeDeleted
 * while nothing is provisioned). The api runs it in the request, the provisioning job again before it
 * provisions: keyed by the volume, both get the one decision and withdraw the same way.
 */
export const claimVolumeCreation = async (recorder: StepRecorder, volumeId: string, c: CreationClaim): Promise<ClaimedCreation> => {
  const claim = await claimQuota(recorder, {
    projectId: c.projectId,
    subject: { kind: 'volume', id: volumeId },
    amounts: volumeQuotaAmounts(c.sizeGb),
    defaults: c.defaults,
    now: c.now,
  });
  if (claim.accepted) return { ...claim, settledAt: claim.position };
  const withdrawn = await recorder.record(
    volumeStreamId(volumeId),
    volumeDecider,
    { type: 'WithdrawVolume', data: { volumeId, now: c.now } },
    `quota-withdraw:volume:${volumeId}`,
  );
  return { ...claim, settledAt: later(claim.position, withdrawn.position) };
};

/** The same for a snapshot, after SnapshotCreated: refused, the snapshot is withdrawn (SnapshotDeleted). */
export const claimSnapshotCreation = async (recorder: StepRecorder, snapshotId: string, c: CreationClaim): Promise<ClaimedCreation> => {
  const claim = await claimQuota(recorder, {
    projectId: c.projectId,
    subject: { kind: 'snapshot', id: snapshotId },
    amounts: snapshotQuotaAmounts(c.sizeGb),
    defaults: c.defaults,
    now: c.now,
  });
  if (claim.accepted) return { ...claim, settledAt: claim.position };
  const withdrawn = await recorder.record(
    snapshotStreamId(snapshotId),
    snapshotDecider,
    { type: 'WithdrawSnapshot', data: { snapshotId, now: c.now } },
    `quota-withdraw:snapshot:${snapshotId}`,
  );
  return { ...claim, settledAt: later(claim.position, withdrawn.position) };
};

/**
 * The same for a backup record's import, after BackupImported: the backup counts from its import on;
 * refused, the import is withdrawn (BackupDeleted, its objects untouched).
 */
export const claimImport = async (
  recorder: StepRecorder,
  backupId: string,
  importedAt: string,
  c: CreationClaim,
): Promise<ClaimedCreation> => {
  const claimId = importClaimId(backupId, importedAt);
  const claim = await claimQuota(recorder, {
    projectId: c.projectId,
    subject: { kind: 'backup', id: backupId },
    claimId,
    amounts: backupQuotaAmounts(c.sizeGb),
    defaults: c.defaults,
    now: c.now,
  });
  if (claim.accepted) return { ...claim, settledAt: claim.position };
  const withdrawn = await recorder.record(
    backupStreamId(backupId),
    backupDecider,
    { type: 'WithdrawImport', data: { backupId, now: c.now } },
    `quota-withdraw:${claimId}`,
  );
  return { ...claim, settledAt: later(claim.position, withdrawn.position) };
};
