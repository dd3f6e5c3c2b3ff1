import type { DomainCommand } from '../decider';
import type { JobSubject } from './job-lease.events';

export type AcquireJobLease = DomainCommand<
  'AcquireJobLease',
  {
    subject: JobSubject;
    workerId: string;
    leaseSeconds: number;
    now: string;
  }
>;
export type RenewJobLease = DomainCommand<
  'RenewJobLease',
  {
    subject: JobSubject;
    workerId: string;
    leaseSeconds: number;
    now: string;
  }
>;
export type ReleaseJobLease = DomainCommand<'ReleaseJobLease', { subject: JobSubject; workerId: string; now: string }>;

export type JobLeaseCommand = AcquireJobLease | RenewJobLease | ReleaseJobLease;
