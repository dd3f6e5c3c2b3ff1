import type { DomainEvent } from '../decider';

/** What a job works on: one backup, volume or snapshot, a verification, or the notifier (one for all). Jobs on one subject run one at a time. */
export interface JobSubject {
  readonly kind: 'backup' | 'volume' | 'snapshot' | 'verify' | 'notifier';
  readonly id: string;
}

/**
 * A worker took the job (first, or after the previous holder stopped renewing). `expiresAt` is the
 * holder's promise: it renews before then or stops working on the job.
 */
export type JobLeaseAcquired = DomainEvent<
  'JobLeaseAcquired',
  {
    subject: JobSubject;
    workerId: string;
    expiresAt: string;
    acquiredAt: string;
    /** The worker whose lease had expired, when this acquisition is a takeover. */
    takenOverFrom: string | null;
  }
>;
export type JobLeaseRenewed = DomainEvent<
  'JobLeaseRenewed',
  {
    subject: JobSubject;
    workerId: string;
    expiresAt: string;
    renewedAt: string;
  }
>;
export type JobLeaseReleased = DomainEvent<'JobLeaseReleased', { subject: JobSubject; workerId: string; releasedAt: string }>;

export type JobLeaseEvent = JobLeaseAcquired | JobLeaseRenewed | JobLeaseReleased;
export type JobLeaseEventType = JobLeaseEvent['type'];

export const JOB_LEASE_EVENT_TYPES: readonly JobLeaseEventType[] = ['JobLeaseAcquired', 'JobLeaseRenewed', 'JobLeaseReleased'];
