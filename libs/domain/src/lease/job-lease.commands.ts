import type { DomainCommand } from '../decider';
import type { JobSubject } from './job-lease.events';
import type { LeaseBeat } from './job-lease.state';

export type AcquireJobLease = DomainCommand<
  'AcquireJobLease',
  {
    subject: JobSubject;
    workerId: string;
    leaseSeconds: number;
    now: string;
    /** The holder's latest renewal beside the log, read just before (leases renewed by beacon). */
    beat?: LeaseBeat | null;
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
