import type { JobLeaseEvent } from './job-lease.events';

/**
 * Who holds the job and until when; `holder` is null when nobody ever took it or it was released.
 * `lengthMs`: how long the holder's lease lasts from each renewal (its last event's expiry minus time).
 */
export interface JobLease {
  readonly holder: string | null;
  readonly expiresAt: string | null;
  readonly lengthMs: number;
}

/**
 * A renewal kept beside the log rather than in it (a beacon: see JobLeases), as the one who took the
 * lease last wrote it: a long-held lease does not append an event every few seconds for ever.
 */
export interface LeaseBeat {
  readonly workerId: string;
  readonly at: string;
}

export const initialJobLeaseState = (): JobLease => ({ holder: null, expiresAt: null, lengthMs: 0 });

export const evolveJobLease = (_state: JobLease, event: JobLeaseEvent): JobLease => {
  switch (event.type) {
    case 'JobLeaseAcquired':
      return {
        holder: event.data.workerId,
        expiresAt: event.data.expiresAt,
        lengthMs: Date.parse(event.data.expiresAt) - Date.parse(event.data.acquiredAt),
      };
    case 'JobLeaseRenewed':
      return {
        holder: event.data.workerId,
        expiresAt: event.data.expiresAt,
        lengthMs: Date.parse(event.data.expiresAt) - Date.parse(event.data.renewedAt),
      };
    case 'JobLeaseReleased':
      return { holder: null, expiresAt: null, lengthMs: 0 };
  }
};

/**
 * A lease held by a worker that has not renewed it in time is free to take. A beat counts only if it is
 * the holder's: one left by an earlier holder says nothing about the current one.
 */
export const isLeaseLive = (lease: JobLease, now: string, beat: LeaseBeat | null = null): boolean => {
  if (lease.holder === null || lease.expiresAt === null) return false;
  const expires = Math.max(
    Date.parse(lease.expiresAt),
    beat?.workerId === lease.holder ? Date.parse(beat.at) + lease.lengthMs : Number.NEGATIVE_INFINITY,
  );
  return expires > Date.parse(now);
};
