import { Logger } from '@nestjs/common';
import { ORIGINAL_RECORDED_AT, type Catalog } from '@strata/catalog';
import { backupStreamId, decodeStrataEvent, snapshotStreamId, volumeStreamId, type JobSubject } from '@strata/domain';
import type { EventStore, RecordedEvent, Subscription } from '@strata/event-store';
import { randomUUID } from 'node:crypto';
import { runBackupDeletionJob } from './backup/backup-deletion-job';
import { runBackupJob, type BackupJobDeps } from './backup/backup-job';
import { ImportGuard } from './import-guard';
import { JOB_TRIGGERS, planJob, type JobPlan } from './job-plan';
import { causeOf, JobRecorder, type JobCause } from './job-recorder';
import { JobAbandoned, type JobLeases } from './leases/job-lease';
import { runRestoreJob } from './restore/restore-job';
import type { OperationSlots } from './operation-slots';
import { runVerifyJob } from './verify/verify-job';
import { QUOTA_SETTLE_TRIGGERS, QuotaSettler } from './quota/quota-settler';
import { repairStaleLocks } from './startup-repair';
import { deleteSnapshot, deleteVolume, extendVolume, provisionSnapshot, provisionVolume, type VolumeJobDeps } from './volumes/volume-jobs';

interface RunningJob {
  readonly done: Promise<void>;
  /** Aborted by a deletion or a reset: the job stops and records that it was cancelled. */
  readonly cancel: AbortController;
  /**
   * Aborted when the worker stops: the job suspends and keeps its work. One per job, not a listener per
   * job on one shared signal, which grows with the number of jobs running at once.
   */
  readonly suspend: AbortController;
  readonly kind: string;
}

export interface JobDispatcherDeps extends BackupJobDeps, Omit<VolumeJobDeps, 'options'> {
  readonly store: EventStore;
  readonly catalog: Catalog;
  readonly leases: JobLeases;
  /** How often pending work is looked for again (jobs whose worker died, locks nobody will release). */
  readonly sweepIntervalMs: number;
  /** `backup_max_operations`: the backups and restores this process runs at once. */
  readonly backupSlots: OperationSlots;
  /** Whether an admin disabled this process's cinder-backup service: it then starts no backup job. */
  readonly backupServiceDisabled: () => boolean;
}

/** Cinder's memory-heavy operations, which `backup_max_operations` counts. */
const SLOT_KINDS: ReadonlySet<string> = new Set(['backup', 'restore']);
/** The jobs Cinder's backup manager runs: a disabled cinder-backup service takes none of them. */
const BACKUP_SERVICE_KINDS: ReadonlySet<string> = new Set(['backup', 'restore', 'backup-deletion', 'verify']);

/** What the dispatcher has done since it started: the crash test and the logs report these. */
export interface DispatcherCounts {
  /** Jobs this worker ran under its lease. */
  jobsRun: number;
  /** Of those, jobs it took over from a worker that had stopped renewing its lease. */
  jobsTakenOver: number;
  /** Jobs it left alone because another live worker held them. */
  jobsHeldElsewhere: number;
  /** Backup jobs it left to other workers (or to later) because its cinder-backup service was disabled. */
  jobsLeftWhileDisabled: number;
}

const JOB_TRIGGER_TYPES: ReadonlySet<string> = new Set(JOB_TRIGGERS);
const SETTLE_TRIGGERS: ReadonlySet<string> = new Set(QUOTA_SETTLE_TRIGGERS);

const keyOf = (s: JobSubject) => `${s.kind}:${s.id}`;

/** The streams a job of this plan may write to: none of them may be one an unfinished import reached. */
const streamsOf = (plan: Exclude<JobPlan, { kind: 'none' | 'cancel-restore' }>): string[] => {
  switch (plan.kind) {
    case 'backup':
      return [
        backupStreamId(plan.backupId),
        ...(plan.lock ? [plan.lock.kind === 'volume' ? volumeStreamId(plan.lock.id) : snapshotStreamId(plan.lock.id)] : []),
      ];
    case 'restore':
      return [backupStreamId(plan.backupId), ...(plan.volumeId ? [volumeStreamId(plan.volumeId)] : [])];
    case 'backup-deletion':
    case 'verify':
      return [backupStreamId(plan.backupId)];
    case 'volume-provision':
    case 'volume-extend':
    case 'volume-deletion':
      return [volumeStreamId(plan.volumeId)];
    case 'snapshot-provision':
    case 'snapshot-deletion':
      return [snapshotStreamId(plan.snapshotId)];
  }
};

/** How long a job waits for this process's catalog to reach its trigger (a replica far behind is a sick one). */
const CATALOG_WAIT_MS = 60_000;

/** A signal aborted, with the same reason, by the first of `sources` (Node 20's AbortSignal.any dropped aborts here). */
const anyOf = (sources: readonly AbortSignal[]) => {
  const controller = new AbortController();
  const listeners = sources.map((source) => {
    const listener = () => controller.abort(source.reason);
    if (source.aborted) listener();
    else source.addEventListener('abort', listener, { once: true });
    return () => source.removeEventListener('abort', listener);
  });
  return { signal: controller.signal, dispose: () => listeners.forEach((remove) => remove()) };
};

/**
 * Turns trigger events into jobs. Pending work is derived from the log, not from a queue: at start and
 * then every sweep the catalog (caught up with the head) says which backups, restores, volumes and
 * snapshots are mid-flight, and a subscription from the head brings every later trigger. Every worker
 * process sees every trigger; a job runs only under its lease (`leases/job-lease.ts`), so exactly one
 * live worker runs it, and one whose worker died is taken over by the next sweep after the lease
 * expires. Jobs on one subject run one after another; each folds its stream first, so a job delivered
 * twice does nothing new.
 */
export class JobDispatcher {
  private readonly logger = new Logger('JobDispatcher');
  private readonly running = new Map<string, RunningJob>();
  private subscription: Subscription | null = null;
  private loop: Promise<void> | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping = false;
  private stopping = false;
  /** The newest position a quota settlement waits for the catalog to reach; null when none waits. */
  private settleAfter: bigint | null = null;
  readonly counts: DispatcherCounts = { jobsRun: 0, jobsTakenOver: 0, jobsHeldElsewhere: 0, jobsLeftWhileDisabled: 0 };

  private readonly deps: JobDispatcherDeps;
  private readonly quotas: QuotaSettler;
  private readonly importGuard: ImportGuard;

  constructor(deps: JobDispatcherDeps) {
    this.deps = { ...deps, isStopping: () => this.stopping };
    this.quotas = new QuotaSettler(this.deps);
    this.importGuard = new ImportGuard(deps.store, deps.catalog);
  }

  get workerId(): string {
    return this.deps.leases.workerId;
  }

  async start(): Promise<void> {
    const head = await this.deps.store.headPosition();
    await this.deps.catalog.waitForPosition(head, 60_000);
    // The job pool's threads, which every job uses, start with the worker, not inside its first job: each
    // costs about 0.1 CPU s to start, and on two cores the first full backup after a start took 0.2 s longer
    // (docs/performance.md). The POSIX writer threads start as a backup begins (ensureContainer): started
    // here too they held 33 MB from the start and made no backup faster (2026-12-06).
    this.deps.pool?.get();
    await this.sweep();
    const subscription = this.deps.store.subscribeToAll({
      fromPosition: head === 0n ? 'start' : head,
      filter: { eventTypes: [...JOB_TRIGGERS, ...QUOTA_SETTLE_TRIGGERS] },
    });
    this.subscription = subscription;
    this.loop = (async () => {
      for await (const item of subscription) {
        if (item.kind !== 'event') continue;
        if (SETTLE_TRIGGERS.has(item.event.type)) this.settleQuotasAfter(item.event.position);
        if (JOB_TRIGGER_TYPES.has(item.event.type)) this.dispatch(item.event);
      }
    })().catch((error: unknown) => {
      if (!this.stopping) this.logger.error(`job subscription stopped: ${(error as Error).stack}`);
    });
    this.sweepTimer = setInterval(() => {
      this.sweep().catch((error: unknown) => {
        if (!this.stopping) this.logger.warn(`sweep failed: ${(error as Error).message}`);
      });
    }, this.deps.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  /**
   * Stops taking jobs and suspends the running ones (they stop within one object, keep their work and
   * release their leases), so another worker can resume them at once.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.subscription?.unsubscribe();
    await this.loop;
    await this.quotas.idle();
    for (const job of this.running.values()) job.suspend.abort(new JobAbandoned('the worker is stopping'));
    await this.idle();
    await this.deps.pool?.close();
  }

  /** Backups and restores running now and waiting for a slot (`backup_max_operations`). */
  get backupOperations(): { readonly running: number; readonly waiting: number } {
    return { running: this.deps.backupSlots.inUse, waiting: this.deps.backupSlots.queued };
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Waits for every job running now (tests and orderly shutdowns). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()].map((j) => j.done));
  }

  /**
   * Settles the quota claims the catalog shows due once it has applied `position` (the settler reads it).
   * One wait at a time, for the newest position asked: a burst of triggers far ahead of the catalog (an
   * import of a million events) kept one waiter, timer and closure per trigger until the catalog got there,
   * hundreds of MiB; settling after the newest position settles everything before it too.
   */
  private settleQuotasAfter(position: bigint): void {
    const waiting = this.settleAfter !== null;
    if (this.settleAfter === null || position > this.settleAfter) this.settleAfter = position;
    if (!waiting) void this.settleWhenSeen();
  }

  private async settleWhenSeen(): Promise<void> {
    for (;;) {
      const position = this.settleAfter;
      if (position === null || this.stopping) break;
      try {
        await this.deps.catalog.waitForPosition(position, CATALOG_WAIT_MS);
        if (!this.stopping) await this.quotas.request();
      } catch (error) {
        if (!this.stopping) this.logger.warn(`quota settlement waits for the next sweep: ${(error as Error).message}`);
        break;
      }
      if (this.settleAfter === position) break;
    }
    this.settleAfter = null;
  }

  /** A trigger from the log: the job it asks for, once this process's catalog has seen the trigger (jobs read it). */
  dispatch(recorded: RecordedEvent): void {
    // An imported event is history, not a request: what it left unfinished the sweep finds in the catalog.
    if (ORIGINAL_RECORDED_AT in recorded.metadata) return;
    const decoded = decodeStrataEvent(recorded);
    if (decoded) this.dispatchPlan(planJob(decoded.event), causeOf(recorded), { catalogPosition: recorded.position });
  }

  /** `onlyIfIdle`: a sweep's plan, dropped when the subject already has a job here. */
  private dispatchPlan(plan: JobPlan, cause: JobCause, { onlyIfIdle = false, catalogPosition = 0n } = {}): void {
    if (plan.kind === 'none') return;
    if (plan.kind === 'cancel-restore') {
      const job = this.running.get(keyOf({ kind: 'backup', id: plan.backupId }));
      if (job?.kind === 'restore') job.cancel.abort();
      return;
    }
    const [subject, run] = this.jobFor(plan, cause);
    if (onlyIfIdle && this.running.has(keyOf(subject))) return;
    if (plan.kind === 'volume-deletion') {
      // Deleting a volume still being created stops its copy, or the restore from its backup.
      const copy = this.running.get(keyOf({ kind: 'volume', id: plan.volumeId }));
      if (copy?.kind === 'volume-provision') copy.cancel.abort();
      const restore = plan.stopsRestoreOf ? this.running.get(keyOf({ kind: 'backup', id: plan.stopsRestoreOf })) : undefined;
      if (restore?.kind === 'restore') restore.cancel.abort();
    }
    if ('backupId' in plan && plan.cancelRunning) {
      this.running.get(keyOf({ kind: 'backup', id: plan.backupId }))?.cancel.abort();
      // A deletion also stops a verification reading the objects it is about to remove.
      this.running.get(keyOf({ kind: 'verify', id: plan.backupId }))?.cancel.abort();
    }
    this.enqueue(subject, plan.kind, cause, catalogPosition, streamsOf(plan), run);
  }

  private jobFor(
    plan: Exclude<JobPlan, { kind: 'none' | 'cancel-restore' }>,
    cause: JobCause,
  ): [JobSubject, (signal: AbortSignal) => Promise<void>] {
    const d = this.deps;
    switch (plan.kind) {
      case 'backup':
        return [{ kind: 'backup', id: plan.backupId }, (s) => runBackupJob(d, cause, plan.backupId, s, plan.lock)];
      case 'backup-deletion':
        return [{ kind: 'backup', id: plan.backupId }, () => runBackupDeletionJob(d, cause, plan.backupId)];
      case 'restore':
        return [{ kind: 'backup', id: plan.backupId }, (s) => runRestoreJob(d, cause, plan.backupId, s, plan.volumeId)];
      // Reads only: its own queue and lease, so a verification neither waits for nor holds up a restore of the backup.
      case 'verify':
        return [{ kind: 'verify', id: plan.backupId }, (s) => runVerifyJob(d, cause, plan.backupId, plan.verificationId, s)];
      case 'volume-provision':
        return [{ kind: 'volume', id: plan.volumeId }, (s) => provisionVolume(d, cause, plan.volumeId, s)];
      case 'volume-extend':
        return [{ kind: 'volume', id: plan.volumeId }, () => extendVolume(d, cause, plan.volumeId)];
      case 'volume-deletion':
        // Behind the restore it cancels, on the backup's queue and lease: it runs once that restore has stopped.
        return [
          plan.stopsRestoreOf ? { kind: 'backup', id: plan.stopsRestoreOf } : { kind: 'volume', id: plan.volumeId },
          () => deleteVolume(d, cause, plan.volumeId),
        ];
      case 'snapshot-provision':
        return [{ kind: 'snapshot', id: plan.snapshotId }, () => provisionSnapshot(d, cause, plan.snapshotId)];
      case 'snapshot-deletion':
        return [{ kind: 'snapshot', id: plan.snapshotId }, () => deleteSnapshot(d, cause, plan.snapshotId)];
    }
  }

  private enqueue(
    subject: JobSubject,
    kind: string,
    cause: JobCause,
    catalogPosition: bigint,
    streams: readonly string[],
    run: (signal: AbortSignal) => Promise<void>,
  ) {
    const key = keyOf(subject);
    const previous = this.running.get(key)?.done ?? Promise.resolve();
    const cancel = new AbortController();
    // Jobs on one subject run one after another: they share one, so stop() reaches the one running now.
    const suspend = this.running.get(key)?.suspend ?? new AbortController();
    // The place in backup_max_operations' queue is taken now, so jobs start in the order they were asked for.
    const slot = SLOT_KINDS.has(kind) ? this.deps.backupSlots.take() : null;
    const done: Promise<void> = previous
      // A job reads this process's catalog replica (locations, chains): not before it has seen the trigger.
      .then(() => this.deps.catalog.waitForPosition(catalogPosition, CATALOG_WAIT_MS))
      // A cancelled or suspended job stops waiting: it records its end without a slot.
      .then(() => slot?.acquired([cancel.signal, suspend.signal]))
      // Half-imported history is not work: the first sweep after the import completes finds what is left.
      .then(() => (this.stopping ? false : this.importGuard.holds(streams)))
      .then((held) => (this.stopping || held ? undefined : this.runIfServing(kind, subject, cause, [cancel.signal, suspend.signal], run)))
      .catch((error: unknown) => {
        if (!this.stopping) this.logger.error(`${kind} job ${key} failed unexpectedly: ${(error as Error).stack}`);
      })
      .finally(() => {
        slot?.release();
        if (this.running.get(key)?.done === done) this.running.delete(key);
      });
    this.running.set(key, { done, cancel, suspend, kind });
  }

  /**
   * A disabled cinder-backup service starts no backup job (Cinder's scheduler sends it none): the job is
   * left in the log for an enabled worker, or for this one's sweep once it is enabled again.
   */
  private runIfServing(
    kind: string,
    subject: JobSubject,
    cause: JobCause,
    signals: readonly AbortSignal[],
    run: (signal: AbortSignal) => Promise<void>,
  ): Promise<void> | undefined {
    if (BACKUP_SERVICE_KINDS.has(kind) && this.deps.backupServiceDisabled()) {
      this.counts.jobsLeftWhileDisabled++;
      this.logger.debug(`cinder-backup is disabled here: leaving the ${kind} job on ${subject.kind} ${subject.id}`);
      return undefined;
    }
    return this.runLeased(subject, cause, signals, run);
  }

  /** Runs the job only while this worker holds its lease; a job held by a live worker is left to it. */
  private async runLeased(
    subject: JobSubject,
    cause: JobCause,
    signals: readonly AbortSignal[],
    run: (signal: AbortSignal) => Promise<void>,
  ) {
    const meta = new JobRecorder(this.deps.store, cause).meta;
    const lease = await this.deps.leases.acquire(subject, meta);
    if (!lease) {
      this.counts.jobsHeldElsewhere++;
      return;
    }
    this.counts.jobsRun++;
    if (lease.takenOverFrom) {
      this.counts.jobsTakenOver++;
      this.logger.log(`took over the ${subject.kind} ${subject.id} job from worker ${lease.takenOverFrom}`);
    }
    const job = anyOf([...signals, lease.signal]);
    try {
      await run(job.signal);
    } finally {
      job.dispose();
      await lease.release();
    }
  }

  /** Work the log says is mid-flight: resumed, taken over, or (stale locks) repaired. One sweep at a time. */
  private async sweep() {
    if (this.stopping || this.sweeping) return;
    this.sweeping = true;
    try {
      await this.sweepOnce();
    } finally {
      this.sweeping = false;
    }
  }

  private async sweepOnce() {
    const { catalog } = this.deps;
    // Work found by a sweep names the sweep as its cause: a correlation of its own, on behalf of the worker.
    const sweep = (): JobCause => {
      const eventId = randomUUID();
      return {
        eventId,
        meta: { correlationId: `sweep-${eventId}`, causationId: eventId, userId: 'strata-worker', projectId: 'strata', requestId: eventId },
      };
    };
    const all = { projectId: '', allProjects: true };
    const page = { sort: [], limit: 1_000_000, marker: null, offset: 0, scope: all, withCount: false };
    const resume = (plan: JobPlan) => this.dispatchPlan(plan, sweep(), { onlyIfIdle: true });
    // A `creating` or `restoring` row may be a workflow's first step only (the catalog shows the lock's
    // request): the job then records the rest of the workflow before it runs.
    for (const b of catalog.listBackups({ ...page, filters: { status: 'creating' } }).rows) {
      const lock = b.snapshotId ? { kind: 'snapshot' as const, id: b.snapshotId } : { kind: 'volume' as const, id: b.volumeId };
      resume({ kind: 'backup', backupId: b.id, cancelRunning: false, lock });
    }
    for (const b of catalog.listBackups({ ...page, filters: { status: 'deleting' } }).rows)
      resume({ kind: 'backup-deletion', backupId: b.id, cancelRunning: true });
    for (const b of catalog.listBackups({ ...page, filters: { status: 'restoring' } }).rows)
      resume({ kind: 'restore', backupId: b.id, cancelRunning: false, volumeId: b.restoreVolumeId ?? undefined });
    for (const [status, kind] of [
      ['creating', 'volume-provision'],
      ['extending', 'volume-extend'],
    ] as const)
      for (const v of catalog.listVolumes({ ...page, filters: { status } }).rows) resume({ kind, volumeId: v.id });
    for (const v of catalog.listVolumes({ ...page, filters: { status: 'deleting' } }).rows)
      resume(
        // Only a volume deleted while being created from a backup is still locked by one.
        v.lockedBy ? { kind: 'volume-deletion', volumeId: v.id, stopsRestoreOf: v.lockedBy } : { kind: 'volume-deletion', volumeId: v.id },
      );
    for (const [status, kind] of [
      ['creating', 'snapshot-provision'],
      ['deleting', 'snapshot-deletion'],
    ] as const)
      for (const s of catalog.listSnapshots({ ...page, filters: { status } }).rows) resume({ kind, snapshotId: s.id });
    for (const v of catalog.runningVerifications()) resume({ kind: 'verify', ...v, cancelRunning: false });
    await repairStaleLocks({ ...this.deps, importGuard: this.importGuard }, sweep());
    await this.quotas.sweep();
  }
}
