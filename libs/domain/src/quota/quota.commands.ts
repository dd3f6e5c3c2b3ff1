import type { DomainCommand } from '../decider';
import type { QuotaAmounts, QuotaLimits, QuotaSubject } from './quota.events';

/**
 * `defaults`: the limits that apply where the project has none of its own (the `default` quota class
 * over strata.conf), read by the caller; the project's own limits are on the stream being decided.
 */
export type ReserveQuota = DomainCommand<
  'ReserveQuota',
  {
    projectId: string;
    subject: QuotaSubject;
    /** When a subject can claim more than once (an import of a deleted backup's id): this claim's own id. */
    claimId?: string;
    amounts: QuotaAmounts;
    defaults: QuotaLimits;
    now: string;
  }
>;
export type CommitQuota = DomainCommand<'CommitQuota', { projectId: string; claimId: string; now: string }>;
export type ReleaseQuota = DomainCommand<'ReleaseQuota', { projectId: string; claimId: string; now: string }>;
/** `limits` in the order the request gave them: the first below current usage is the one refused. */
export type UpdateQuotaLimits = DomainCommand<'UpdateQuotaLimits', { projectId: string; limits: QuotaAmounts; now: string }>;
export type ResetQuotaLimits = DomainCommand<'ResetQuotaLimits', { projectId: string; now: string }>;
export type UpdateQuotaClassLimits = DomainCommand<'UpdateQuotaClassLimits', { className: string; limits: QuotaAmounts; now: string }>;

export type QuotaCommand = ReserveQuota | CommitQuota | ReleaseQuota | UpdateQuotaLimits | ResetQuotaLimits;
export type QuotaClassCommand = UpdateQuotaClassLimits;
