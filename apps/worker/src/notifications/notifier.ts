import { Logger } from '@nestjs/common';
import { ORIGINAL_RECORDED_AT } from '@strata/catalog';
import {
  applyUsageChanges,
  decodeStrataEvent,
  initialUsageState,
  metaOf,
  NOTIFIER_CHECKPOINT_STREAM,
  NOTIFIER_LEASE_SUBJECT,
  notifierCheckpointDecider,
  usageStep,
  type EventMeta,
  type NotificationSettings,
  type UsageState,
} from '@strata/domain';
import { timeOrderedUuid, WrongExpectedVersion, type EventStore, type RecordedEvent } from '@strata/event-store';
import { isNotifierBookkeeping, readNotifierCheckpoint } from '@strata/workflows';
import type { JobLeases } from '../leases/job-lease';
import type { NotificationPublisher } from './amqp-publisher';
import { osloMessage, type OsloMessage } from './oslo-message';

export interface NotifierDeps {
  readonly store: EventStore;
  readonly leases: JobLeases;
  readonly publisher: NotificationPublisher;
  readonly settings: NotificationSettings;
  readonly now: () => Date;
  /** How long to wait before trying for the lease again while another process publishes. */
  readonly leaseRetryMs: number;
  /** The first wait after a failed publish; it doubles up to maxRetryMs while the broker stays away. */
  readonly minRetryMs: number;
  readonly maxRetryMs: number;
  /** Events mapped before a batch is published and checkpointed even if more are waiting. */
  readonly batchEvents: number;
  /** A stretch of the log that notifies nothing is checkpointed at most this often (the checkpoint is an event too). */
  readonly quietCheckpointMs: number;
  /** How often the log is read again once the notifier has reached its head. */
  readonly pollMs: number;
}

/** What the notifier has done since it started: the logs and the tests read these. */
export interface NotifierCounts {
  published: number;
  checkpoints: number;
  publishFailures: number;
}

const NOTIFIER_META: EventMeta = {
  correlationId: 'strata-notifier',
  causationId: 'strata-notifier',
  userId: 'strata-worker',
  projectId: 'strata',
  requestId: 'strata-notifier',
};

class LeaseGone extends Error {
  override readonly name = 'LeaseGone';
}

/**
 * Cinder's notifications, published from the log and never from a request: under the notifier lease
 * (one publisher among all processes), it folds the whole log through the pure mapping (`usageStep`),
 * and for the events after its checkpoint publishes what the mapping says, in log order, on a confirm
 * channel; only once the broker confirmed a batch is the checkpoint (an event on `notifier-checkpoint`,
 * appended at the revision read, so a notifier that lost its lease cannot move it) advanced past it. A
 * broker that is away holds the batch and the log behind it, nothing else: requests and jobs never wait
 * on it. After a crash or an outage, what may have been sent but not checkpointed is sent again with the
 * same `message_id`.
 */
export class Notifier {
  private readonly logger = new Logger('Notifier');
  private readonly stopping = new AbortController();
  private loop: Promise<void> | null = null;
  readonly counts: NotifierCounts = { published: 0, checkpoints: 0, publishFailures: 0 };

  constructor(private readonly deps: NotifierDeps) {}

  /**
   * Notifications begin when they are enabled, as in Cinder: on a log that has events and no checkpoint
   * yet (notifications turned on for an existing deployment), the first checkpoint is put at its head,
   * so history is folded for the payloads but not announced. Awaited at start-up, before requests are
   * served; the first process to do it wins (`no_stream`), and no broker is involved.
   */
  async initialize(): Promise<void> {
    const { store, now } = this.deps;
    if ((await readNotifierCheckpoint(store)).through !== null) return;
    const head = await store.headPosition();
    if (head === 0n) return;
    const decided = notifierCheckpointDecider.decide(
      {
        type: 'RecordNotificationsPublished',
        data: { through: head.toString(), notifications: 0, workerId: this.deps.leases.workerId, now: now().toISOString() },
      },
      { through: null },
    );
    try {
      await store.appendToStream(
        NOTIFIER_CHECKPOINT_STREAM,
        decided.map((e) => ({ id: timeOrderedUuid(), type: e.type, data: e.data, metadata: { ...NOTIFIER_META } })),
        { expectedRevision: 'no_stream' },
      );
      this.logger.log(`notifications start at log position ${head}: earlier events are not announced`);
    } catch (error) {
      if (!(error instanceof WrongExpectedVersion)) throw error;
    }
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    // Closing the connection first fails a batch waiting for confirms at once, rather than after its timeout.
    await this.deps.publisher.close();
    await this.loop;
    await this.deps.publisher.close();
  }

  private async run(): Promise<void> {
    const { leases, leaseRetryMs } = this.deps;
    while (!this.stopping.signal.aborted) {
      let lease: Awaited<ReturnType<JobLeases['acquire']>> = null;
      try {
        lease = await leases.acquire(NOTIFIER_LEASE_SUBJECT, NOTIFIER_META, { renewBy: 'beacon' });
        if (lease) await this.publishUnderLease(lease.signal);
      } catch (error) {
        if (!(error instanceof LeaseGone)) this.logger.warn(`notifier stopped, starting over: ${(error as Error).message}`);
      } finally {
        await lease?.release().catch((e: unknown) => this.logger.warn(`releasing the notifier lease: ${(e as Error).message}`));
      }
      if (!this.stopping.signal.aborted) await sleep(lease ? this.deps.minRetryMs : leaseRetryMs, this.stopping.signal);
    }
  }

  private async publishUnderLease(leaseSignal: AbortSignal): Promise<void> {
    const { store, settings, batchEvents, quietCheckpointMs, now } = this.deps;
    const gone = () => leaseSignal.aborted || this.stopping.signal.aborted;
    let checkpoint = await readNotifierCheckpoint(store);
    const state: UsageState = initialUsageState();
    let batch: OsloMessage[] = [];
    let mappedThrough = checkpoint.through ?? 0n;
    let foreignEvents = 0;
    let lastCheckpointAt = 0;

    const flush = async () => {
      if (mappedThrough <= (checkpoint.through ?? 0n)) return;
      // Nothing to send: checkpoint a quiet stretch now and then, not after every event (a checkpoint is an event too).
      if (batch.length === 0 && (foreignEvents === 0 || Date.now() - lastCheckpointAt < quietCheckpointMs)) return;
      await this.publishUntilConfirmed(batch, gone);
      const decided = notifierCheckpointDecider.decide(
        {
          type: 'RecordNotificationsPublished',
          data: {
            through: mappedThrough.toString(),
            notifications: batch.length,
            workerId: this.deps.leases.workerId,
            now: now().toISOString(),
          },
        },
        { through: checkpoint.through },
      );
      try {
        const appended = await store.appendToStream(
          NOTIFIER_CHECKPOINT_STREAM,
          decided.map((e) => ({ id: timeOrderedUuid(), type: e.type, data: e.data, metadata: { ...NOTIFIER_META } })),
          { expectedRevision: checkpoint.revision < 0n ? 'no_stream' : checkpoint.revision },
        );
        checkpoint = { through: mappedThrough, revision: appended.nextExpectedRevision, publishedAt: now().toISOString() };
      } catch (error) {
        // Another notifier checkpointed: this one no longer holds the lease, whatever it believed.
        if (error instanceof WrongExpectedVersion) throw new LeaseGone('the checkpoint moved under this notifier');
        throw error;
      }
      this.counts.published += batch.length;
      this.counts.checkpoints++;
      batch = [];
      foreignEvents = 0;
      lastCheckpointAt = Date.now();
    };

    // Pages of the log, not a subscription: after each page the batch is published (a live subscription
    // says nothing between two events, and a batch must not wait for the next one).
    let lastSeen: bigint | null = null;
    while (!gone()) {
      let fresh = 0;
      for await (const e of store.readAll({ fromPosition: lastSeen ?? 'start', maxCount: batchEvents })) {
        if (lastSeen !== null && e.position <= lastSeen) continue;
        lastSeen = e.position;
        fresh++;
        this.map(state, e, checkpoint.through, batch, settings);
        if (checkpoint.through !== null && e.position <= checkpoint.through) continue;
        mappedThrough = e.position;
        if (!isNotifierBookkeeping(e)) foreignEvents++;
      }
      await flush();
      if (fresh === 0) await sleep(this.deps.pollMs, leaseSignal, this.stopping.signal);
    }
    throw new LeaseGone('lease released');
  }

  /** Folds one event into the state and, past the checkpoint, adds what it notifies to the batch. */
  private map(state: UsageState, e: RecordedEvent, through: bigint | null, batch: OsloMessage[], settings: NotificationSettings): void {
    const decoded = decodeStrataEvent(e);
    if (!decoded) return;
    const step = usageStep(state, decoded.event, settings);
    applyUsageChanges(state, step.changes);
    // Events imported from another log (a catalog import) are history: folded, not announced again.
    const imported = e.metadata[ORIGINAL_RECORDED_AT] !== undefined;
    if ((through === null || e.position > through) && !imported)
      step.notifications.forEach((n, index) =>
        batch.push(osloMessage(n, { eventId: e.id, index, recordedAt: e.createdAt, meta: metaOf(e), host: settings.host })),
      );
  }

  /** Publishes the batch until the broker confirmed all of it; a broker away is waited for, with backoff. */
  private async publishUntilConfirmed(batch: readonly OsloMessage[], gone: () => boolean): Promise<void> {
    let wait = this.deps.minRetryMs;
    for (;;) {
      try {
        await this.deps.publisher.publish(batch);
        return;
      } catch (error) {
        this.counts.publishFailures++;
        this.logger.warn(`publishing ${batch.length} notification(s) failed, retrying in ${wait} ms: ${(error as Error).message}`);
      }
      await sleep(wait, this.stopping.signal);
      if (gone()) throw new LeaseGone('stopped while the broker was away');
      wait = Math.min(this.deps.maxRetryMs, wait * 2);
    }
  }
}

/** Resolves after `ms`, or at once when any of the signals aborts; leaves no listener behind. */
const sleep = (ms: number, ...signals: AbortSignal[]) =>
  new Promise<void>((resolve) => {
    if (signals.some((s) => s.aborted)) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      for (const s of signals) s.removeEventListener('abort', done);
      resolve();
    }
    for (const s of signals) s.addEventListener('abort', done, { once: true });
  });
