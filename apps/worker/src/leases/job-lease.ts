import { Logger } from '@nestjs/common';
import { RunSuspended } from '@strata/chunked-driver';
import {
  JobLeaseHeld,
  JobLeaseLost,
  jobLeaseDecider,
  jobLeaseStreamId,
  type EventMeta,
  type JobLeaseAcquired,
  type JobSubject,
  type LeaseBeat,
} from '@strata/domain';
import { decideAndAppend, loadState, type EventStore } from '@strata/event-store';

/**
 * Why a job stopped without recording an outcome: its lease was lost or the worker is stopping. The
 * job's events say where it got to; whoever holds the lease next resumes from there.
 */
export class JobAbandoned extends RunSuspended {
  override readonly name = 'JobAbandoned';
}

export const isAbandoned = (signal: AbortSignal): boolean => signal.aborted && signal.reason instanceof JobAbandoned;

export interface JobLeasesOptions {
  readonly store: EventStore;
  readonly workerId: string;
  readonly leaseSeconds: number;
  readonly now: () => Date;
}

/** A lease this worker holds: `signal` aborts (with JobAbandoned) when the worker can no longer trust it. */
export interface HeldLease {
  readonly signal: AbortSignal;
  /** The worker whose expired lease this one replaced (a takeover), or null. */
  readonly takenOverFrom: string | null;
  release(): Promise<void>;
}

/**
 * Takes, renews and releases job leases for one worker process. The lease is renewed every third of
 * its time; if a renewal is refused (the job was taken over) or has not succeeded a quarter of the
 * lease before expiry, the job is abandoned, so it stops before anyone else may take it over.
 */
export class JobLeases {
  private readonly logger = new Logger('JobLeases');

  constructor(private readonly options: JobLeasesOptions) {}

  get workerId(): string {
    return this.options.workerId;
  }

  /**
   * The lease on `subject`, or null while another worker holds it. `renewBy: 'beacon'` is for a lease
   * held for the life of the process (the notifier's): its renewals are written beside the log (a beacon
   * per holder, replaced in place) instead of a `JobLeaseRenewed` every third of the lease for ever, and
   * the holder reads the lease's stream at each renewal to learn whether it was taken over. Every
   * worker taking such a lease must ask for it the same way, so that it reads the holder's beats.
   */
  async acquire(
    subject: JobSubject,
    meta: EventMeta,
    { renewBy = 'event' }: { renewBy?: 'event' | 'beacon' } = {},
  ): Promise<HeldLease | null> {
    const { store, workerId, leaseSeconds, now } = this.options;
    const streamId = jobLeaseStreamId(subject);
    let takenOverFrom: string | null = null;
    try {
      const beat = renewBy === 'beacon' ? await this.holderBeat(streamId) : null;
      const { events } = await decideAndAppend(
        store,
        streamId,
        jobLeaseDecider,
        { type: 'AcquireJobLease', data: { subject, workerId, leaseSeconds, now: now().toISOString(), beat } },
        { ...meta },
      );
      const acquired = events.find((e) => e.type === 'JobLeaseAcquired') as JobLeaseAcquired | undefined;
      takenOverFrom = acquired?.data.takenOverFrom ?? null;
    } catch (error) {
      if (error instanceof JobLeaseHeld) return null;
      throw error;
    }
    const leaseMs = leaseSeconds * 1000;
    const abandon = new AbortController();
    let fence: NodeJS.Timeout | undefined;
    const armFence = (from: number) => {
      clearTimeout(fence);
      fence = setTimeout(
        () => abandon.abort(new JobAbandoned(`lease on ${streamId} not renewed in time`)),
        Math.max(0, from + (leaseMs * 3) / 4 - Date.now()),
      );
    };
    armFence(Date.now());
    let renewing: Promise<void> = Promise.resolve();
    const renewal = () =>
      renewBy === 'beacon'
        ? this.beat(streamId, subject)
        : decideAndAppend(
            store,
            streamId,
            jobLeaseDecider,
            { type: 'RenewJobLease', data: { subject, workerId, leaseSeconds, now: now().toISOString() } },
            { ...meta },
          );
    const renew = () => {
      const startedAt = Date.now();
      renewing = renewal()
        .then(() => armFence(startedAt))
        .catch((error: unknown) => {
          if (error instanceof JobLeaseLost) abandon.abort(new JobAbandoned(error.message));
          else this.logger.warn(`renewing ${streamId} failed: ${(error as Error).message}`);
        });
    };
    const timer = setInterval(renew, leaseMs / 3);
    return {
      signal: abandon.signal,
      takenOverFrom,
      release: async () => {
        clearInterval(timer);
        clearTimeout(fence);
        await renewing;
        // A no-op when the job was taken over meanwhile: only the holder's release is recorded. (A beacon
        // holder's last beat stays: it counts for nobody once the lease has another holder or none.)
        await decideAndAppend(
          store,
          streamId,
          jobLeaseDecider,
          { type: 'ReleaseJobLease', data: { subject, workerId, now: now().toISOString() } },
          { ...meta },
        );
      },
    };
  }

  /** A renewal by beacon: the beat, then the stream, which says whether the lease is still ours. */
  private async beat(streamId: string, subject: JobSubject): Promise<void> {
    const { store, workerId, now } = this.options;
    await store.writeBeacon(leaseBeatKey(streamId, workerId), now().toISOString());
    const { state } = await loadState(store, streamId, jobLeaseDecider);
    if (state.holder !== workerId) throw new JobLeaseLost(subject, workerId, state.holder);
  }

  /** The latest beat of whoever holds the lease now (null when nobody does, or it beat by events). */
  private async holderBeat(streamId: string): Promise<LeaseBeat | null> {
    const { state } = await loadState(this.options.store, streamId, jobLeaseDecider);
    if (state.holder === null) return null;
    const at = (await this.options.store.readBeacons()).get(leaseBeatKey(streamId, state.holder));
    return at === undefined ? null : { workerId: state.holder, at };
  }
}

/** One beacon per lease and holder, replaced at each beat. */
export const leaseBeatKey = (streamId: string, workerId: string): string => `lease:${streamId}:${workerId}`;
