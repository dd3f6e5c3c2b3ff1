import type { JobLeaseEvent } from './job-lease.events';

/** Who holds the job and until when; `holder` is null when nobody ever took it or it was released. */
export interface JobLease {
  readonly holder: string | null;
  readonly expiresAt: string | null;
}

export const initialJobLeaseState = (): JobLease => ({ holder: null, expiresAt: null });

export const evolveJobLease = (_state: JobLease, event: JobLeaseEvent): JobLease => {
  switch (event.type) {
    case 'JobLeaseAcquired':
    case 'JobLeaseRenewed':
      return { holder: event.data.workerId, expiresAt: event.data.expiresAt };
    case 'JobLeaseReleased':
      return { holder: null, expiresAt: null };
  }
};

/** A lease held by a worker that has not renewed it in time is free to take. */
export const isLeaseLive = (lease: JobLease, now: string): boolean =>
  lease.holder !== null && lease.expiresAt !== null && Date.parse(lease.expiresAt) > Date.parse(now);
