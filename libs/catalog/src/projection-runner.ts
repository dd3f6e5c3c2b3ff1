import type { EventStore, RecordedEvent, Subscription, SubscriptionItem } from '@strata/event-store';
import { applyBatch, type BatchTarget } from './apply-batch';
import { CatalogWaitTimeout, type ProjectionFailed } from './errors';
import { CATALOG_CHECKPOINT, readCheckpoint } from './projection-checkpoint';
import { CATALOG_PROJECTIONS } from './projections';
import type { Projection } from './projections/projection';
import { sqliteProjectionTx } from './projections/sqlite-projection-tx';
import type { CatalogDatabase } from './schema/catalog-database';
import { yieldToEventLoop } from './yield-to-event-loop';

export interface ProjectionRunnerOptions {
  readonly projections?: readonly Projection[];
  /** Events per transaction at most; a batch also ends whenever the subscription has nothing ready. */
  readonly batchSize?: number;
  readonly checkpointName?: string;
  /** Told once when the runner stops on an error: the subscription or the store failing, never one event. */
  readonly onFailure?: (error: Error) => void;
  /** Told when an event is parked: a projection threw on it, and the runner went on without it. */
  readonly onParked?: (failure: ProjectionFailed) => void;
  /** Told each time the runner has reached the head of the log after a `start()`. */
  readonly onCaughtUp?: () => void;
  /** The time a parked event is recorded with (default: the system clock). */
  readonly now?: () => Date;
  /** Told after each committed batch, with the new checkpoint. */
  readonly onCommitted?: (position: bigint) => void;
  /**
   * Told when the runner finds itself more than `farBehindEvents` behind the head of the log (looked up
   * every few batches), with that head: the owner may have the gap closed elsewhere (a thread).
   */
  readonly onFarBehind?: (head: bigint) => void;
  readonly farBehindEvents?: number;
}

/** Committed batches between two looks at the head for `onFarBehind`. */
const BATCHES_PER_HEAD_LOOK = 4;

interface Waiter {
  readonly position: bigint;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

const IDLE = Symbol('idle');
/** Resolves after the pending microtasks: whatever the subscription has ready arrives before it. */
const idle = () => new Promise<typeof IDLE>((resolve) => setImmediate(() => resolve(IDLE)));

/**
 * Keeps the catalog in step with the log: subscribes to `$all` after the stored checkpoint and applies
 * what arrives in batches, each committed with its checkpoint (see `applyBatch`). An event a projection
 * cannot apply is parked and the runner goes on; only the subscription or the store failing stops it.
 * `waitForPosition` gives the api read-your-writes.
 */
export class ProjectionRunner {
  private readonly target: BatchTarget;
  private readonly batchSize: number;
  private checkpoint: bigint;
  private subscription: Subscription | null = null;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private failed: Error | null = null;
  private readonly waiters = new Set<Waiter>();
  private caughtUpWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private isCaughtUp = false;
  private events: RecordedEvent[] = [];
  private upTo = 0n;
  private batches = 0;

  constructor(
    private readonly db: CatalogDatabase,
    private readonly store: EventStore,
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    const checkpointName = options.checkpointName ?? CATALOG_CHECKPOINT;
    this.target = {
      db,
      tx: sqliteProjectionTx(db),
      projections: options.projections ?? CATALOG_PROJECTIONS,
      checkpointName,
      now: options.now,
      onParked: options.onParked,
    };
    this.batchSize = options.batchSize ?? 500;
    this.checkpoint = readCheckpoint(db, checkpointName);
  }

  /** Starts from the stored checkpoint (the start of the log when there is none); a no-op while running. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.failed = null;
    this.isCaughtUp = false;
    this.checkpoint = readCheckpoint(this.db, this.target.checkpointName);
    this.upTo = this.checkpoint;
    const subscription = this.store.subscribeToAll({ fromPosition: this.checkpoint > 0n ? this.checkpoint : 'start' });
    this.subscription = subscription;
    this.loop = this.consume(subscription)
      .catch((error: unknown) => this.fail(error instanceof Error ? error : new Error(String(error))))
      .finally(() => subscription.unsubscribe());
  }

  /**
   * Brings a stopped runner's file up to `position` (an event the log holds), as a build from a known end
   * does: the log is read in order, a batch at a time, with a turn of the event loop between batches and no
   * subscription (a subscription's promise, race and timer per event cost a build of 1,023,030 events 1.5 s
   * of its 15–16.5 s, 2026-12-07). Should the read end short of `position`, the runner follows the log
   * there as `start()` does, for at most `timeoutMs`. Parked events and failures are as with `start()`;
   * `stop()` ends it after the batch in hand.
   */
  async buildTo(position: bigint, timeoutMs: number): Promise<void> {
    if (this.loop) throw new Error('buildTo: the runner is already following the log');
    this.stopping = false;
    this.failed = null;
    this.checkpoint = readCheckpoint(this.db, this.target.checkpointName);
    this.upTo = this.checkpoint;
    const replay = this.replayTo(position);
    this.loop = replay.catch((error: unknown) => this.fail(error instanceof Error ? error : new Error(String(error))));
    try {
      await replay;
    } finally {
      this.loop = null;
    }
    if (this.stopping || this.checkpoint >= position) return;
    this.start();
    await this.caughtUp();
    await this.waitForPosition(position, timeoutMs);
  }

  private async replayTo(position: bigint): Promise<void> {
    if (this.checkpoint >= position) return;
    for await (const event of this.store.readAll({ fromPosition: this.checkpoint + 1n })) {
      if (this.stopping || event.position > position) break;
      this.events.push(event);
      this.upTo = event.position;
      if (this.events.length >= this.batchSize) {
        this.flush();
        await yieldToEventLoop();
      }
    }
    this.flush();
  }

  /** Ends the subscription and waits for the loop; what was already received is committed first. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.unsubscribe();
    await this.loop;
    this.loop = null;
    this.subscription = null;
  }

  /** The last position whose effects are committed. */
  position(): bigint {
    return this.checkpoint;
  }

  /** The error the runner stopped on, if it did. */
  failure(): Error | null {
    return this.failed;
  }

  /** Resolves once the catalog reflects every event up to `position`; rejects on timeout or failure. */
  waitForPosition(position: bigint, timeoutMs = 5000): Promise<void> {
    if (this.checkpoint >= position) return Promise.resolve();
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { position, resolve, reject };
      waiter.timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new CatalogWaitTimeout(position, this.checkpoint, timeoutMs));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /**
   * Hands the readers still waiting on this (stopped) runner to the one that replaces it, so a request
   * that waits for its write across a catalog swap is answered by the new catalog, not timed out.
   */
  handOverWaiters(successor: ProjectionRunner): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      successor.waitForPosition(waiter.position).then(waiter.resolve, waiter.reject);
    }
    this.waiters.clear();
  }

  /** Resolves when the runner has first reached the head of the log since `start()`. */
  caughtUp(): Promise<void> {
    if (this.isCaughtUp) return Promise.resolve();
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => this.caughtUpWaiters.push({ resolve, reject }));
  }

  private async consume(subscription: Subscription): Promise<void> {
    const items = subscription[Symbol.asyncIterator]();
    let pending = items.next();
    for (;;) {
      // With events in hand, commit as soon as the subscription has nothing more ready right now.
      const next = this.events.length === 0 ? await pending : await Promise.race([pending, idle()]);
      if (next === IDLE) {
        this.flush();
        continue;
      }
      if (next.done || this.stopping) break;
      // Requests get their turn between batches, so a replay (catch-up at start, rebuild) never holds them for long.
      if (this.take(next.value)) {
        await this.lookAtTheHead();
        await yieldToEventLoop();
      }
      pending = items.next();
    }
    this.flush();
  }

  /** True when it committed a batch. */
  private take(item: SubscriptionItem): boolean {
    if (item.kind === 'event') {
      if (item.event.position <= this.checkpoint) return false; // redelivered: already applied
      this.events.push(item.event);
      if (item.event.position > this.upTo) this.upTo = item.event.position;
      return this.events.length >= this.batchSize && this.flush();
    }
    // A checkpoint or caughtUp: everything up to here was considered, handled by us or not.
    if (item.position > this.upTo) this.upTo = item.position;
    const flushed = this.flush();
    if (item.kind === 'caughtUp') this.markCaughtUp();
    return flushed;
  }

  /** Every few committed batches, whether the log has run far ahead (`onFarBehind`). */
  private async lookAtTheHead(): Promise<void> {
    const { onFarBehind, farBehindEvents } = this.options;
    if (!onFarBehind || farBehindEvents === undefined || this.stopping) return;
    if (++this.batches % BATCHES_PER_HEAD_LOOK !== 0) return;
    const head = await this.store.headPosition();
    if (!this.stopping && head - this.checkpoint > BigInt(farBehindEvents)) onFarBehind(head);
  }

  /**
   * While stopped: another writer (a catch-up thread) committed the file up to `position`. The runner's
   * position follows, and the readers waiting for it are released; `start()` goes on from there.
   */
  advanceTo(position: bigint): void {
    if (position <= this.checkpoint) return;
    this.checkpoint = position;
    this.settleWaiters();
  }

  /** True when it committed something. */
  private flush(): boolean {
    if (this.events.length === 0 && this.upTo <= this.checkpoint) return false;
    const batch = { events: this.events, upTo: this.upTo };
    this.events = [];
    try {
      this.checkpoint = applyBatch(this.target, this.checkpoint, batch);
    } finally {
      // On a failure (not about one event) the batch may have been committed in part.
      this.checkpoint = readCheckpoint(this.db, this.target.checkpointName);
      this.upTo = this.checkpoint;
      this.settleWaiters();
    }
    this.options.onCommitted?.(this.checkpoint);
    return true;
  }

  private settleWaiters(): void {
    for (const waiter of this.waiters) {
      if (waiter.position > this.checkpoint) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }

  private markCaughtUp(): void {
    this.isCaughtUp = true;
    for (const waiter of this.caughtUpWaiters) waiter.resolve();
    this.caughtUpWaiters = [];
    this.options.onCaughtUp?.();
  }

  private fail(error: Error): void {
    this.failed = error;
    this.stopping = true;
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this.waiters.clear();
    for (const waiter of this.caughtUpWaiters) waiter.reject(error);
    this.caughtUpWaiters = [];
    this.options.onFailure?.(error);
  }
}
