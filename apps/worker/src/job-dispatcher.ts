import { Logger } from '@nestjs/common';
import type { Catalog } from '@strata/catalog';
import type { EventStore, RecordedEvent, Subscription } from '@strata/event-store';
import { randomUUID } from 'node:crypto';
import { runBackupDeletionJob } from './backup/backup-deletion-job';
import { runBackupJob, type BackupJobDeps } from './backup/backup-job';
import { JOB_TRIGGERS, planJob, type JobPlan } from './job-plan';
import { runRestoreJob } from './restore/restore-job';
import { runVerifyJob } from './verify/verify-job';
import { deleteSnapshot, deleteVolume, provisionSnapshot, provisionVolume, type VolumeJobDeps } from './volumes/volume-jobs';

type Trigger = Pick<RecordedEvent, 'id' | 'type' | 'data' | 'metadata'>;

interface RunningJob {
  readonly done: Promise<void>;
  readonly abort: AbortController;
  readonly kind: string;
}

/**
 * Turns trigger events into jobs. Pending work is derived from the log, not from a queue: at start the
 * catalog (caught up with the head) says which backups, restores, volumes and snapshots are mid-flight,
 * and a subscription from that head brings every later trigger. Jobs on one entity run one after another;
 * each job folds its stream first, so one delivered twice does nothing new.
 */
export class JobDispatcher {
  private readonly logger = new Logger('JobDispatcher');
  private readonly running = new Map<string, RunningJob>();
  private subscription: Subscription | null = null;
  private loop: Promise<void> | null = null;
  private stopping = false;

  private readonly deps: BackupJobDeps & VolumeJobDeps;

  constructor(deps: BackupJobDeps & VolumeJobDeps & { readonly store: EventStore; readonly catalog: Catalog }) {
    this.deps = { ...deps, isStopping: () => this.stopping };
  }

  async start(): Promise<void> {
    const head = await this.deps.store.headPosition();
    await this.deps.catalog.waitForPosition(head, 60_000);
    this.resumePending();
    const subscription = this.deps.store.subscribeToAll({ fromPosition: head === 0n ? 'start' : head, filter: { eventTypes: JOB_TRIGGERS } });
    this.subscription = subscription;
    this.loop = (async () => {
      for await (const item of subscription) if (item.kind === 'event') this.dispatch(item.event);
    })().catch((error: unknown) => {
      if (!this.stopping) this.logger.error(`job subscription stopped: ${(error as Error).stack}`);
    });
  }

  /** Stops taking jobs. Running jobs are left to the process exit: their work resumes on the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.unsubscribe();
    await this.loop;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Waits for every job running now (tests and orderly shutdowns). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()].map((j) => j.done));
  }

  dispatch(trigger: Trigger): void {
    const plan = planJob(trigger);
    if (plan.kind === 'none') return;
    if (plan.kind === 'cancel-restore') {
      const job = this.running.get(`backup:${plan.backupId}`);
      if (job?.kind === 'restore') job.abort.abort();
      return;
    }
    if ('backupId' in plan && plan.cancelRunning) this.running.get(`backup:${plan.backupId}`)?.abort.abort();
    // A deletion also stops a verification reading the objects it is about to remove.
    if ('backupId' in plan && plan.cancelRunning) this.running.get(`verify:${plan.backupId}`)?.abort.abort();
    const [key, run] = this.jobFor(plan, trigger as RecordedEvent);
    this.enqueue(key, plan.kind, run);
  }

  private jobFor(plan: Exclude<JobPlan, { kind: 'none' | 'cancel-restore' }>, trigger: RecordedEvent): [string, (signal: AbortSignal) => Promise<void>] {
    const d = this.deps;
    switch (plan.kind) {
      case 'backup': return [`backup:${plan.backupId}`, (s) => runBackupJob(d, trigger, plan.backupId, s)];
      case 'backup-deletion': return [`backup:${plan.backupId}`, () => runBackupDeletionJob(d, trigger, plan.backupId)];
      case 'restore': return [`backup:${plan.backupId}`, (s) => runRestoreJob(d, trigger, plan.backupId, s)];
      // Reads only: its own queue, so a verification neither waits for nor holds up a restore of the backup.
      case 'verify': return [`verify:${plan.backupId}`, (s) => runVerifyJob(d, trigger, plan.backupId, plan.verificationId, s)];
      case 'volume-provision': return [`volume:${plan.volumeId}`, () => provisionVolume(d, trigger, plan.volumeId)];
      case 'volume-deletion': return [`volume:${plan.volumeId}`, () => deleteVolume(d, trigger, plan.volumeId)];
      case 'snapshot-provision': return [`snapshot:${plan.snapshotId}`, () => provisionSnapshot(d, trigger, plan.snapshotId)];
      case 'snapshot-deletion': return [`snapshot:${plan.snapshotId}`, () => deleteSnapshot(d, trigger, plan.snapshotId)];
    }
  }

  private enqueue(key: string, kind: string, run: (signal: AbortSignal) => Promise<void>) {
    const previous = this.running.get(key)?.done ?? Promise.resolve();
    const abort = new AbortController();
    const done: Promise<void> = previous
      .then(() => (this.stopping ? undefined : run(abort.signal)))
      .catch((error: unknown) => {
        if (!this.stopping) this.logger.error(`${kind} job ${key} failed unexpectedly: ${(error as Error).stack}`);
      })
      .finally(() => {
        if (this.running.get(key)?.done === done) this.running.delete(key);
      });
    this.running.set(key, { done, abort, kind });
  }

  /** Work the log says is mid-flight when the worker starts: resumed, or finished cleanly. */
  private resumePending() {
    const { catalog } = this.deps;
    const trigger = (type: string, data: unknown): Trigger => ({
      id: randomUUID(), type, data, metadata: { userId: 'strata-worker', projectId: 'strata', correlationId: `startup-${randomUUID()}` },
    });
    const all = { projectId: '', allProjects: true };
    const page = { sort: [], limit: 1_000_000, marker: null, offset: 0, scope: all };
    for (const [status, type] of [['creating', 'BackupRequested'], ['deleting', 'BackupDeletionRequested'], ['restoring', 'RestoreRequested']] as const)
      for (const b of catalog.listBackups({ ...page, filters: { status } }).rows) this.dispatch(trigger(type, { backupId: b.id }));
    for (const [status, type] of [['creating', 'VolumeCreated'], ['deleting', 'VolumeDeletionRequested']] as const)
      for (const v of catalog.listVolumes({ ...page, filters: { status } }).rows) this.dispatch(trigger(type, { volumeId: v.id }));
    for (const [status, type] of [['creating', 'SnapshotCreated'], ['deleting', 'SnapshotDeletionRequested']] as const)
      for (const s of catalog.listSnapshots({ ...page, filters: { status } }).rows) this.dispatch(trigger(type, { snapshotId: s.id }));
    for (const v of catalog.runningVerifications()) this.dispatch(trigger('BackupVerificationRequested', v));
  }
}
