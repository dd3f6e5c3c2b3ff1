import type { EventStore } from '@strata/event-store';
import type { EntityKind } from './projections/audit.projection';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';
import type { BackupRow } from './queries/backup-row';
import { backupChain } from './queries/backup-chain.query';
import { childIds } from './queries/child-ids.query';
import { eventsOfEntity, type AuditRow, type EventsOfEntityOptions } from './queries/events-of-entity.query';
import { getBackup } from './queries/get-backup.query';
import { getJob } from './queries/get-job.query';
import { getSnapshot } from './queries/get-snapshot.query';
import { getVolume } from './queries/get-volume.query';
import type { JobRow } from './queries/job-row';
import { listBackups, type ListBackupsRequest } from './queries/list-backups.query';
import { listJobs } from './queries/list-jobs.query';
import type { Page } from './queries/list-page';
import { listSnapshots, type ListSnapshotsRequest } from './queries/list-snapshots.query';
import { listVolumes, type ListVolumesRequest } from './queries/list-volumes.query';
import { liveChildCount } from './queries/live-child-count.query';
import { liveSnapshotCount } from './queries/live-snapshot-count.query';
import { newestAvailableBackup, type NewestAvailableOptions } from './queries/newest-available-backup.query';
import type { Scope } from './queries/scope';
import type { SnapshotRow } from './queries/snapshot-row';
import type { VolumeRow } from './queries/volume-row';
import { openCatalogDatabase, resetCatalog, type CatalogDatabase } from './schema/catalog-database';

/** Inject the `Catalog` with `@Inject(CATALOG)`. */
export const CATALOG = Symbol('CATALOG');

export interface OpenCatalogOptions extends Omit<ProjectionRunnerOptions, 'projections'> {
  /** The read-model file (`:memory:` for a throwaway catalog). */
  readonly path: string;
  readonly store: EventStore;
}

/**
 * The read side in one object: the queries the api and the worker ask, and the runner that keeps
 * them in step with the log. It holds no logic of its own; each method is one query file.
 */
export class Catalog {
  private readonly runner: ProjectionRunner;

  constructor(readonly db: CatalogDatabase, private readonly store: EventStore, runnerOptions: ProjectionRunnerOptions = {}) {
    this.runner = new ProjectionRunner(db, store, runnerOptions);
  }

  static open({ path, store, ...runnerOptions }: OpenCatalogOptions): Catalog {
    return new Catalog(openCatalogDatabase(path), store, runnerOptions);
  }

  start(): void { this.runner.start(); }
  stop(): Promise<void> { return this.runner.stop(); }
  position(): bigint { return this.runner.position(); }
  failure(): Error | null { return this.runner.failure(); }
  caughtUp(): Promise<void> { return this.runner.caughtUp(); }
  /** Read-your-writes: resolves once every event up to `position` shows in the queries. */
  waitForPosition(position: bigint, timeoutMs?: number): Promise<void> { return this.runner.waitForPosition(position, timeoutMs); }

  /** Stops the runner and closes the file. */
  async close(): Promise<void> {
    await this.runner.stop();
    this.db.close();
  }

  /** Drops every read model and replays the log into them; resolves at the head it had when called. */
  async rebuild(): Promise<bigint> {
    await this.runner.stop();
    resetCatalog(this.db);
    const head = await this.store.headPosition();
    this.runner.start();
    await this.runner.caughtUp();
    await this.runner.waitForPosition(head);
    return this.runner.position();
  }

  getBackup(id: string, scope: Scope): BackupRow | null { return getBackup(this.db, id, scope); }
  listBackups(request: ListBackupsRequest): Page<BackupRow> { return listBackups(this.db, request); }
  newestAvailableBackup(volumeId: string, projectId: string, options?: NewestAvailableOptions): BackupRow | null {
    return newestAvailableBackup(this.db, volumeId, projectId, options);
  }
  liveChildCount(backupId: string): number { return liveChildCount(this.db, backupId); }
  backupChain(backupId: string): BackupRow[] { return backupChain(this.db, backupId); }
  childIds(backupId: string): string[] { return childIds(this.db, backupId); }

  getVolume(id: string, scope: Scope): VolumeRow | null { return getVolume(this.db, id, scope); }
  listVolumes(request: ListVolumesRequest): Page<VolumeRow> { return listVolumes(this.db, request); }
  liveSnapshotCount(volumeId: string): number { return liveSnapshotCount(this.db, volumeId); }

  getSnapshot(id: string, scope: Scope): SnapshotRow | null { return getSnapshot(this.db, id, scope); }
  listSnapshots(request: ListSnapshotsRequest): Page<SnapshotRow> { return listSnapshots(this.db, request); }

  getJob(backupId: string, kind?: 'backup' | 'restore'): JobRow | null { return getJob(this.db, backupId, kind); }
  listJobs(): JobRow[] { return listJobs(this.db); }
  eventsOfEntity(kind: EntityKind, id: string, options?: EventsOfEntityOptions): AuditRow[] {
    return eventsOfEntity(this.db, kind, id, options);
  }
}
