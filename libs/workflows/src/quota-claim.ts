import {
  firstEventOfType,
  quotaClaimId,
  quotaDecider,
  quotaStreamId,
  type QuotaAmounts,
  type QuotaLimits,
  type QuotaReservationRefused,
  type QuotaSubject,
} from '@strata/domain';
import type { StepRecorder } from './step-recorder';

/** The limits that apply where a project has none of its own (the `default` quota class over strata.conf). */
export type QuotaDefaults = () => QuotaLimits;

/** What a creation claims, in Cinder's order of checking (the first resource over is the one its refusal names). */
export const backupQuotaAmounts = (sizeGb: number): QuotaAmounts => ({ backups: 1, backup_gigabytes: sizeGb });
export const volumeQuotaAmounts = (sizeGb: number): QuotaAmounts => ({ volumes: 1, gigabytes: sizeGb });
/** An import's claim: one per import, since a deleted backup's id can be imported again. */
export const importClaimId = (backupId: string, importedAt: string) => `backup:${backupId}@${importedAt}`;
export const snapshotQuotaAmounts = (sizeGb: number): QuotaAmounts => ({ snapshots: 1, gigabytes: sizeGb });

/** The steps on a claim, keyed by the claim (the subject's kind and id). */
export const quotaClaimStepKey = (claimId: string, step: 'reserve' | 'commit' | 'release') => `quota-claim:${claimId}:${step}`;

export type QuotaClaimOutcome =
  | { readonly accepted: true; readonly position: bigint }
  | { readonly accepted: false; readonly refusal: QuotaReservationRefused['data']; readonly position: bigint };

/**
 * Claims often meet on one project's stream (fifty backups at once): within a process they take turns,
 * so a claim is not re-read and re-decided once per claim that won before it. Across processes the
 * stream's revision still decides, with retries.
 */
const turns = new Map<string, Promise<unknown>>();
const inTurn = <T>(key: string, step: () => Promise<T>): Promise<T> => {
  const previous = turns.get(key) ?? Promise.resolve();
  const mine = previous.then(step, step);
  const settled = mine.then(
    () => undefined,
    () => undefined,
  );
  turns.set(key, settled);
  void settled.then(() => {
    if (turns.get(key) === settled) turns.delete(key);
  });
  return mine;
};

/** Two api processes and a worker may all decide on one project's stream: a lost race is decided again. */
const CLAIM_RETRIES = 100;

/**
 * A creation's claim on its project's quota: a workflow step, keyed by the subject, so that whoever
 * runs it (the api in the request, the workflow after a crash) gets the one decision recorded, an
 * acceptance or a refusal, and never a second one.
 */
export const claimQuota = (
  recorder: StepRecorder,
  request: { projectId: string; subject: QuotaSubject; claimId?: string; amounts: QuotaAmounts; defaults: QuotaLimits; now: string },
): Promise<QuotaClaimOutcome> => {
  const streamId = quotaStreamId(request.projectId);
  return inTurn(streamId, async () => {
    const claimId = request.claimId ?? quotaClaimId(request.subject);
    const result = await recorder.record(
      streamId,
      quotaDecider,
      { type: 'ReserveQuota', data: request },
      quotaClaimStepKey(claimId, 'reserve'),
      { maxRetries: CLAIM_RETRIES },
    );
    const refused = firstEventOfType(result.events, 'QuotaReservationRefused');
    return refused ? { accepted: false, refusal: refused.data, position: result.position } : { accepted: true, position: result.position };
  });
};

/** Commits or releases a claim once its subject's creation ended (or the subject is gone): keyed, so repeatable. */
export const settleQuotaClaim = (recorder: StepRecorder, projectId: string, claimId: string, step: 'commit' | 'release', now: string) => {
  const streamId = quotaStreamId(projectId);
  return inTurn(streamId, () =>
    recorder.record(
      streamId,
      quotaDecider,
      step === 'commit'
        ? { type: 'CommitQuota', data: { projectId, claimId, now } }
        : { type: 'ReleaseQuota', data: { projectId, claimId, now } },
      quotaClaimStepKey(claimId, step),
      { maxRetries: CLAIM_RETRIES },
    ),
  );
};

/** strata.conf's defaults (Cinder's `quota_*` options), as StrataOptions carries them. */
export interface QuotaOptions {
  readonly quota_volumes: number;
  readonly quota_gigabytes: number;
  readonly quota_snapshots: number;
  readonly quota_backups: number;
  readonly quota_backup_gigabytes: number;
}

/** The defaults a project without limits of its own gets: the `default` class's where it has one, else strata.conf's. */
export const quotaDefaultsFrom = (options: QuotaOptions, classLimits: QuotaAmounts): QuotaLimits => ({
  volumes: classLimits.volumes ?? options.quota_volumes,
  gigabytes: classLimits.gigabytes ?? options.quota_gigabytes,
  snapshots: classLimits.snapshots ?? options.quota_snapshots,
  backups: classLimits.backups ?? options.quota_backups,
  backup_gigabytes: classLimits.backup_gigabytes ?? options.quota_backup_gigabytes,
});

/** The quota class whose limits are the defaults (Cinder's `use_default_quota_class`). */
export const DEFAULT_QUOTA_CLASS = 'default';
