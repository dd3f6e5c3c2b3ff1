import { assertNever, type Decider } from '../decider';
import type { JobLeaseCommand } from './job-lease.commands';
import { JobLeaseHeld, JobLeaseLost } from './job-lease.errors';
import type { JobLeaseEvent } from './job-lease.events';
import { evolveJobLease, initialJobLeaseState, isLeaseLive, type JobLease } from './job-lease.state';
import { checkedDecider } from '../schema/checked-decider';

const expiry = (now: string, leaseSeconds: number) => new Date(Date.parse(now) + leaseSeconds * 1000).toISOString();

/**
 * Worker leases on jobs, kept in the log so that they hold on any event store: appended at the lease
 * stream's expected revision, so of two workers that try at once exactly one wins. A lease whose holder
 * stopped renewing is taken over; a live one is never taken. Times arrive on the commands.
 */
export const decideJobLease = (command: JobLeaseCommand, state: JobLease): JobLeaseEvent[] => {
  const { subject, workerId, now } = command.data;
  switch (command.type) {
    case 'AcquireJobLease': {
      const expiresAt = expiry(now, command.data.leaseSeconds);
      if (state.holder === workerId) return [{ type: 'JobLeaseRenewed', data: { subject, workerId, expiresAt, renewedAt: now } }];
      if (isLeaseLive(state, now, command.data.beat ?? null)) throw new JobLeaseHeld(subject, state.holder!, state.expiresAt!);
      return [{ type: 'JobLeaseAcquired', data: { subject, workerId, expiresAt, acquiredAt: now, takenOverFrom: state.holder } }];
    }
    case 'RenewJobLease':
      // Late but not taken over: nobody else worked on the job meanwhile, so the holder may go on.
      if (state.holder !== workerId) throw new JobLeaseLost(subject, workerId, state.holder);
      return [{ type: 'JobLeaseRenewed', data: { subject, workerId, expiresAt: expiry(now, command.data.leaseSeconds), renewedAt: now } }];
    case 'ReleaseJobLease':
      if (state.holder !== workerId) return [];
      return [{ type: 'JobLeaseReleased', data: { subject, workerId, releasedAt: now } }];
    default:
      return assertNever(command);
  }
};

export const jobLeaseDecider: Decider<JobLeaseCommand, JobLease, JobLeaseEvent> = checkedDecider({
  decide: decideJobLease,
  evolve: evolveJobLease,
  initialState: initialJobLeaseState,
});
