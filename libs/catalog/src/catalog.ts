import type { QuotaAmounts } from '@strata/domain';
import type { EventStore } from '@strata/event-store';
import { existsSync, renameSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { compareWithLog } from './compare-with-log';
import { CatalogBuildStopped } from './errors';
import { historyStreamsOf } from './history/history-streams';
import type { EntityKind } from './projections/audit.projection';
import { CATALOG_CHECKPOINT } from './projection-checkpoint';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';
import {
  startCatalogBuildAlongside,
  startCatalogFileBuild,
  startCatalogFollower,
  threadReplicaOf,
  type CatalogFileBuild,
  type CatalogFollower,
} from './build/catalog-file-build';
import type { BackupRow } from './queries/backup-row';
import { backupChain } from './queries/backup-chain.query';
import { backupsAsOfSelected, type PastBackupSelect } from './queries/backups-as-of.query';
import { dependentBackupCount } from './queries/dependent-backup-count.query';
import { runningVerifications } from './queries/running-verifications.query';
import { unfinishedImports } from './queries/unfinished-imports.query';
import { backupRelations, type BackupRelations } from './queries/backup-relations.query';
import { eventsInLog, type EventsInLogFilter } from './queries/events-in-log.query';
import { childIds } from './queries/child-ids.query';
import { eventsOfEntity, type AuditRow, type EventsOfEntityOptions } from './queries/events-of-entity.query';
import { getBackup } from './queries/get-backup.query';
import { getJob } from './queries/get-job.query';
import { getSnapshot } from './queries/get-snapshot.query';
import { getVolume } from './queries/get-volume.query';
import type { JobRow } from './queries/job-row';
import { listBackups, type ListBackupsRequest } from './queries/list-backups.query';
import { listJobs } from './queries/list-jobs.query';
import { listServices, type ServiceFilters, type ServiceRow } from './queries/list-services.query';
import type { Page } from './queries/list-page';
import { listSnapshots, type ListSnapshotsRequest } from './queries/list-snapshots.query';
import { getMessage, listMessages, type ListMessagesRequest } from './queries/list-messages.query';
import type { MessageRow, MessageVisibility } from './queries/message-row';
import { listVolumes, type ListVolumesRequest } from './queries/list-volumes.query';
import { liveChildCount } from './queries/live-child-count.query';
import { liveSnapshotCount } from './queries/live-snapshot-count.query';
import {
  projectQuotaLimits,
  projectQuotaUsage,
  quotaClaimsToSettle,
  quotaClassLimits,
  unclaimedImports,
  type QuotaClaimToSettle,
  type QuotaUsage,
} from './queries/quota.query';
import { newestAvailableBackup, type NewestAvailableOptions } from './queries/newest-available-backup.query';
import { operationsMetrics, type OperationsMetrics } from './queries/operations-metrics.query';
import { parkedEventCount, projectionFailures, type ProjectionFailureRow } from './queries/projection-failures.query';
import type { Scope } from './queries/scope';
import type { SnapshotRow } from './queries/snapshot-row';
import type { VolumeRow } from './queries/volume-row';
import { getVolumeType, volumeTypeByName } from './queries/get-volume-type.query';
import { listVolumeTypes, type ListVolumeTypesRequest } from './queries/list-volume-types.query';
import { liveVolumeTypeCount, volumesOfTypeCount, volumeTypeProjects } from './queries/volume-type-facts.query';
import { volumeTypeEncryption } from './queries/volume-type-encryption.query';
import type { TypeVisibility, VolumeTypeEncryptionRow, VolumeTypeRow } from './queries/volume-type-row';
import {
  openCatalogDatabase,
  openCatalogForRebuild,
  DATABASE_FILE_SUFFIXES,
  removeDatabaseFiles,
  removeDatabaseFilesOffTheEventLoop,
  resetCatalog,
  sealRebuiltCatalog,
  type CatalogDatabase,
} from './schema/catalog-database';

/** How long a rebuild waits for its runner to reach the head (a large log replays at ~10^4–10^5 events/s). */
const REBUILD_WAIT_MS = 30 * 60_000;

/**
 * Moves a closed SQLite file and its WAL aside, then removes them off the event loop: the swap that calls
 * this must not hold requests for the removal. A file left by a crash is removed by the next swap.
 */
const discardDatabaseFiles = (path: string): void => {
  const aside = `${path}.old`;
  removeDatabaseFiles(aside);
  for (const suffix of DATABASE_FILE_SUFFIXES) if (existsSync(`${path}${suffix}`)) renameSync(`${path}${suffix}`, `${aside}${suffix}`);
  void removeDatabaseFilesOffTheEventLoop(aside).catch(() => undefined);
};

/** Inject the `Catalog` with `@Inject(CATALOG)`. */
export const CATALOG = Symbol('CATALOG');

export interface CatalogOptions extends Omit<ProjectionRunnerOptions, 'onCaughtUp' | 'onCommitted' | 'onFarBehind'> {
  /** Told when the catalog found it did not match its log (and rebuilt), or could not compare them. */
  readonly warn?: (message: string) => void;
  /** Told when the live file fell this far behind the log and is brought up to it on a thread (`from` → about `head`). */
  readonly onCatchUpOnThread?: (from: bigint, head: bigint) => void;
  /** How far behind the log the live runner may fall before a thread closes the gap (FAR_BEHIND_EVENTS by default). */
  readonly farBehindEvents?: number;
  /** The cores the process may use (`os.availableParallelism()` by default): whether a rebuild that serves can go in parts. */
  readonly cores?: number;
}

/**
 * How far the live runner may fall behind the log (an import, a start after downtime) before the gap is
 * closed on a thread: below it, the thread's start costs more than the batches it would take off the
 * event loop.
 */
const FAR_BEHIND_EVENTS = 20_000;

export interface OpenCatalogOptions extends Omit<CatalogOptions, 'projections'> {
  /** The read-model file (`:memory:` for a throwaway catalog). */
  readonly path: string;
  readonly store: EventStore;
}

/**
 * The read side in one object: the queries the api and the worker ask, and the runner that keeps
 * them in step with the log. It holds no logic of its own; each method is one query file.
 *
 * It also keeps the catalog a view of *its* log: at start, whenever the runner has caught up, and before
 * a rebuild swaps files, the last event the catalog applied is looked up in the log (`compareWithLog`).
 * A log that is shorter or holds another event there (a restored older copy, a lost tail, another store)
 * is reported through `warn` and the catalog is rebuilt from it: never a silent divergence.
 */
export class Catalog {
  private runner: ProjectionRunner;
  private database: CatalogDatabase;
  private rebuilding: Promise<bigint> | null = null;
  /** Gives up the build beside the file in progress, if one is: `stop()` and `close()` do not wait for a whole replay. */
  private stopBuild: (() => void) | null = null;
  private starting: Promise<void> | null = null;
  private startFailure: Error | null = null;
  private checking: Promise<void> | null = null;
  /** Between `start()` and `stop()`: only then does the catalog compare itself with the log. */
  private running = false;
  private readonly checkpointName: string;
  private readonly liveOptions: ProjectionRunnerOptions;
  /** The live file being brought up to the log on a thread, if it is; the live runner is stopped meanwhile. */
  private catchingUp: Promise<void> | null = null;
  private stopCatchUp: (() => Promise<void>) | null = null;
  /** The log's file when a thread may project it into the live file (`threadReplicaOf`); null when the catalog is in memory. */
  private readonly threadReplica: string | null;

  /** `path` is the file behind `db`: with it a rebuild runs beside the live catalog and swaps files. */
  constructor(
    db: CatalogDatabase,
    private readonly store: EventStore,
    private readonly options: CatalogOptions = {},
    private readonly path: string | null = null,
  ) {
    this.database = db;
    this.checkpointName = options.checkpointName ?? CATALOG_CHECKPOINT;
    this.threadReplica = path === null ? null : threadReplicaOf(store, options);
    this.liveOptions = {
      ...options,
      onCaughtUp: () => this.checkAfterCatchUp(),
      ...(this.threadReplica !== null
        ? { onFarBehind: (head: bigint) => this.catchUpOnThread(head), farBehindEvents: options.farBehindEvents ?? FAR_BEHIND_EVENTS }
        : {}),
    };
    this.runner = new ProjectionRunner(db, store, this.liveOptions);
  }

  static open({ path, store, ...options }: OpenCatalogOptions): Catalog {
    return new Catalog(openCatalogDatabase(path), store, options, path === ':memory:' ? null : path);
  }

  /** The connection the queries use; a rebuild replaces it. */
  get db(): CatalogDatabase {
    return this.database;
  }

  /**
   * Compares the catalog with the log (rebuilding it when they disagree), then follows the log from the
   * stored checkpoint; `caughtUp()` reports how that went. A no-op while started.
   */
  start(): void {
    if (this.starting) return;
    this.running = true;
    this.startFailure = null;
    this.starting = this.agreeWithLog('start-up')
      .then(() => this.buildWhenEmpty())
      .then(() => this.runner.start());
    this.starting.catch((error: unknown) => {
      this.startFailure = error instanceof Error ? error : new Error(String(error));
    });
  }

  /** Ends the start-up check and any check after a catch-up, then the runner. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopBuild?.();
    await this.stopCatchUp?.();
    await this.catchingUp;
    await this.starting?.catch(() => undefined);
    this.starting = null;
    await this.checking;
    await this.runner.stop();
  }

  position(): bigint {
    return this.runner.position();
  }
  failure(): Error | null {
    return this.startFailure ?? this.runner.failure();
  }
  caughtUp(): Promise<void> {
    return this.starting ? this.starting.then(() => this.runner.caughtUp()) : this.runner.caughtUp();
  }
  /** Read-your-writes: resolves once every event up to `position` shows in the queries. */
  waitForPosition(position: bigint, timeoutMs?: number): Promise<void> {
    return this.runner.waitForPosition(position, timeoutMs);
  }

  /** Lets a rebuild finish, stops the runner and closes the file. */
  async close(): Promise<void> {
    this.running = false;
    this.stopBuild?.();
    await this.rebuilding?.catch(() => undefined);
    await this.stop();
    this.database.close();
  }

  /**
   * Drops every read model and replays the log into them; resolves at the position reached, at least
   * the head it had when called. A second call while one runs joins it.
   *
   * On a file the live catalog keeps answering (and following the log) while a second runner replays
   * the log into `<path>.rebuild`; then the live runner stops, the new file catches up to where the live
   * one was, and the files are swapped in one synchronous step, so no query or projection interleaves
   * with a half-built catalog. Readers waiting for a position move to the new runner.
   */
  rebuild(): Promise<bigint> {
    // Two parts and the event loop that answers requests need three cores: with two, the one thread of a
    // whole build leaves the event loop its own (see `startCatalogFileBuild`).
    return this.rebuildWith({ inParts: (this.options.cores ?? availableParallelism()) >= 3 });
  }

  /**
   * `rebuild()`, in two parts on two threads when `inParts` (see `startCatalogFileBuild`): a build that
   * readiness waits for, at start-up. A rebuild joined while one runs goes on as it started.
   */
  private rebuildWith({ inParts }: { readonly inParts: boolean }): Promise<bigint> {
    // A catch-up on a thread writes the live file: it ends before a rebuild stops, replaces or swaps it.
    this.rebuilding ??= (this.catchingUp ?? Promise.resolve())
      .then(() => (this.path ? this.rebuildBeside(this.path, inParts) : this.rebuildInPlace()))
      .finally(() => {
        this.rebuilding = null;
      });
    return this.rebuilding;
  }

  /**
   * Runs `append` (an import's appends of `events` new events) while a thread projects them, so that the
   * appends and their projection run on two cores instead of taking turns on this event loop; resolves
   * once the catalog holds all of it. Where no thread can read the log (EventStoreDB, a store in memory, a
   * catalog in memory), or while a rebuild or a catch-up runs, `append` simply runs, and the live runner
   * follows as usual.
   *
   * An import that brings at least as many events as the log holds is projected as a rebuild is, into a
   * new file beside the live one (`buildBesideWhile`): a B-tree insert into each list index per event cost
   * the thread about a third more than one sort per index at the end (238,339 events: 27 s of the thread
   * into the live file, 19.5 s into a new one; with the import's batches unsynced as well, the import took
   * 18.3–20.6 s against 26.0–28.6 s, 2026-12-06). A smaller one is projected into the live file
   * (`followOnThread`), which saves replaying what the log held.
   */
  async projectingOnThread<T>(events: number, append: () => Promise<T>): Promise<T> {
    if (!this.mayFollowOnThread()) return append();
    return BigInt(events) >= (await this.store.headPosition()) ? this.buildBesideWhile(append) : this.followOnThread(append);
  }

  /** The live runner fell far behind the log (`onFarBehind`): a thread closes the gap (`followOnThread`). */
  private catchUpOnThread(head: bigint): void {
    if (!this.mayFollowOnThread()) return;
    this.options.onCatchUpOnThread?.(this.runner.position(), head);
    void this.followOnThread(() => Promise.resolve());
  }

  private mayFollowOnThread(): boolean {
    return this.running && !this.catchingUp && !this.rebuilding && this.path !== null && this.threadReplica !== null;
  }

  /**
   * Has a thread project the log into the live file (`startCatalogFollower`) while `during` runs, then up
   * to the head; the queries here see each batch it commits at once, and the readers waiting for a
   * position are released as it passes it. Then the runner goes on from the file's checkpoint. A failure
   * of the thread leaves the rest to the runner.
   */
  private followOnThread<T>(during: () => Promise<T>): Promise<T> {
    const { checkpointName, onParked } = this.options;
    return this.withThreadWhile(during, {
      start: (runner) =>
        startCatalogFollower(this.threadReplica!, this.path!, {
          checkpointName,
          onParked,
          onCommitted: (position) => runner.advanceTo(position),
        }),
      failed: (reason) => `The catalog's projection on a thread failed (${reason}); it goes on here`,
    });
  }

  /**
   * Has a thread build a new file beside the live one from the whole log (`startCatalogBuildAlongside`)
   * while `during` runs, then up to the head; the new file catches up here and is swapped in (`swapIn`),
   * and the readers waiting for a position move to its runner. Until then the queries answer from the
   * catalog as it was before the import. A failure of the thread, or of the catch-up, leaves the whole
   * import to the live runner, which goes on from its own checkpoint.
   */
  private buildBesideWhile<T>(during: () => Promise<T>): Promise<T> {
    const path = this.path!;
    const shadowPath = `${path}.rebuild`;
    const { checkpointName, onParked } = this.options;
    return this.withThreadWhile(during, {
      start: () => {
        removeDatabaseFiles(shadowPath);
        return startCatalogBuildAlongside(this.threadReplica!, shadowPath, { checkpointName, onParked });
      },
      failed: (reason) => `The catalog's build on a thread failed (${reason}); the import is projected here`,
      finished: async (built, runner) => {
        const rebuilt =
          built && this.running && this.runner === runner
            ? await this.catchUpBeside(shadowPath, (step) => step).catch((error: unknown) => {
                this.options.warn?.(
                  `The catalog built on a thread could not catch up (${(error as Error).message}); the import is projected here`,
                );
                return null;
              })
            : null;
        if (rebuilt) this.swapIn(rebuilt, shadowPath, path);
        else removeDatabaseFiles(shadowPath);
      },
    });
  }

  /**
   * Stops the live runner and runs `during` beside a thread (`start`), which is told to finish at the head
   * once `during` settles, however it settled; `finished` is then told whether the thread got there. Then the
   * runner goes on, unless it was replaced or the catalog stopped meanwhile. `stop()` cancels the thread and
   * waits for all of it (`catchingUp`); a rebuild waits for it too.
   */
  private async withThreadWhile<T>(
    during: () => Promise<T>,
    thread: {
      readonly start: (runner: ProjectionRunner) => CatalogFollower;
      readonly failed: (reason: string) => string;
      readonly finished?: (reached: boolean, runner: ProjectionRunner) => Promise<void>;
    },
  ): Promise<T> {
    const runner = this.runner;
    let release: () => void = () => undefined;
    this.catchingUp = new Promise<void>((resolve) => (release = resolve));
    try {
      await runner.stop();
      if (!this.running || this.runner !== runner) return await during();
      const work = thread.start(runner);
      this.stopCatchUp = () => work.cancel();
      try {
        return await during();
      } finally {
        const reached = await work.finishAt(await this.store.headPosition()).then(
          () => true,
          (error: unknown) => {
            if (!(error instanceof CatalogBuildStopped)) this.options.warn?.(thread.failed((error as Error).message));
            return false;
          },
        );
        this.stopCatchUp = null;
        await thread.finished?.(reached, runner);
      }
    } finally {
      if (this.running && this.runner === runner) runner.start();
      release();
      this.catchingUp = null;
    }
  }

  /** Events a projection could not apply, which the catalog went on without; oldest first. */
  projectionFailures(): ProjectionFailureRow[] {
    return projectionFailures(this.database);
  }
  parkedEventCount(): number {
    return parkedEventCount(this.database);
  }

  /** The log is the truth: a catalog that does not match it is rebuilt from it, and says so. */
  private async agreeWithLog(when: 'start-up' | 'catch-up'): Promise<void> {
    const divergence = await compareWithLog(this.database, this.store, this.checkpointName);
    if (divergence === null || !this.running) return;
    this.options.warn?.(`${divergence.message}; found at ${when}, rebuilding the catalog from the log`);
    // At start-up readiness waits, so both cores go to the build; later the catalog serves, as for `rebuild()`.
    await (when === 'start-up' ? this.rebuildWith({ inParts: true }) : this.rebuild());
  }

  /**
   * A catalog file with nothing applied yet (deleted, or emptied by an upgrade) over a log that has
   * events is built as a rebuild builds (beside, its list indexes sorted at the end on a thread), not
   * by the live runner: about half the CPU, and no query meets a half-built table (readiness waits).
   */
  private async buildWhenEmpty(): Promise<void> {
    if (!this.running || !this.path || this.runner.position() > 0n) return;
    if ((await this.store.headPosition()) === 0n) return;
    await this.rebuildWith({ inParts: true });
  }

  /** A runner that reached the head checks once more: the log it follows may have been replaced meanwhile. */
  private checkAfterCatchUp(): void {
    if (!this.running || this.checking) return;
    this.checking = this.agreeWithLog('catch-up')
      .catch((error: unknown) => this.options.warn?.(`Could not compare the catalog with its log: ${(error as Error).message}`))
      .finally(() => {
        this.checking = null;
      });
  }

  private async rebuildInPlace(): Promise<bigint> {
    await this.runner.stop();
    resetCatalog(this.database);
    const head = await this.store.headPosition();
    this.runner.start();
    await this.runner.caughtUp();
    await this.runner.waitForPosition(head);
    return this.runner.position();
  }

  private async rebuildBeside(path: string, inParts: boolean): Promise<bigint> {
    const shadowPath = `${path}.rebuild`;
    removeDatabaseFiles(shadowPath);
    const stopped = new Promise<never>((_, reject) => {
      this.stopBuild = () => reject(new CatalogBuildStopped());
    });
    stopped.catch(() => undefined);
    const untilStopped = <T>(step: Promise<T>): Promise<T> => Promise.race([step, stopped]);
    let build: CatalogFileBuild | null = null;
    let rebuilt: CatalogDatabase;
    try {
      // The log up to its head goes into the file beside (on a thread when the store allows it), while
      // the live catalog still answers and follows the log; its list indexes are sorted at the end.
      const head = await untilStopped(this.store.headPosition());
      const { checkpointName, onParked, now, projections } = this.options;
      build = startCatalogFileBuild(this.store, shadowPath, head, {
        checkpointName,
        onParked,
        now,
        projections,
        waitMs: REBUILD_WAIT_MS,
        inParts,
      });
      await untilStopped(build.finished);
      build = null;
      rebuilt = await this.catchUpBeside(shadowPath, untilStopped);
    } catch (error) {
      await build?.cancel();
      await removeDatabaseFilesOffTheEventLoop(shadowPath);
      // Stopped: the live runner stays stopped, as `stop()` asked; otherwise it goes on with the old file.
      if (!(error instanceof CatalogBuildStopped)) this.runner.start();
      throw error;
    } finally {
      this.stopBuild = null;
    }
    return this.swapIn(rebuilt, shadowPath, path);
  }

  /**
   * Brings a file built beside the live one up to the log here, then up to where the live runner is, and
   * stops the live runner: what remains is the swap. On failure the file is closed (the caller removes it).
   */
  private async catchUpBeside(shadowPath: string, untilStopped: <T>(step: Promise<T>) => Promise<T>): Promise<CatalogDatabase> {
    // The new file catches up with what was appended since its build ended, here.
    const shadow = openCatalogForRebuild(shadowPath);
    const builder = new ProjectionRunner(shadow, this.store, { ...this.options, batchSize: 1000, onFailure: undefined });
    try {
      builder.start();
      await untilStopped(builder.caughtUp());
      await this.runner.stop();
      // A live catalog that does not match the log (ahead of it, or of another log) has no position the
      // new file must reach: waiting for it could last for ever. The log's head is all there is.
      if ((await compareWithLog(this.database, this.store, this.checkpointName)) === null)
        await untilStopped(builder.waitForPosition(this.runner.position(), REBUILD_WAIT_MS));
      await builder.stop();
      return shadow;
    } catch (error) {
      await builder.stop();
      shadow.close();
      throw error;
    }
  }

  /** Puts a file built beside in the live one's place, in one synchronous step: atomic for every query of this process. */
  private swapIn(rebuilt: CatalogDatabase, shadowPath: string, path: string): bigint {
    sealRebuiltCatalog(rebuilt);
    rebuilt.close();
    this.database.close();
    discardDatabaseFiles(path);
    renameSync(shadowPath, path);
    this.database = openCatalogDatabase(path);
    const previous = this.runner;
    this.runner = new ProjectionRunner(this.database, this.store, this.liveOptions);
    previous.handOverWaiters(this.runner);
    this.runner.start();
    return this.runner.position();
  }
  childIds(backupId: string): string[] {
    return childIds(this.database, backupId);
  }

  getBackup(id: string, scope: Scope): BackupRow | null {
    return getBackup(this.database, id, scope);
  }
  listBackups(request: ListBackupsRequest): Page<BackupRow> {
    return listBackups(this.database, request);
  }
  /**
   * The backups as they stood at `asOf`, oldest first, as the caller's text of each backup (`PastBackupSelect`),
   * a window of them at a time, read as the caller iterates.
   */
  backupsAsOfSelected(asOf: Date, scope: Scope, select: PastBackupSelect): AsyncGenerator<string[]> {
    return backupsAsOfSelected(() => this.database, asOf, scope, select);
  }
  newestAvailableBackup(volumeId: string, projectId: string, options?: NewestAvailableOptions): BackupRow | null {
    return newestAvailableBackup(this.database, volumeId, projectId, options);
  }
  liveChildCount(backupId: string): number {
    return liveChildCount(this.database, backupId);
  }
  backupChain(backupId: string): BackupRow[] {
    return backupChain(this.database, backupId);
  }
  dependentBackupCount(backupId: string): number {
    return dependentBackupCount(this.database, backupId);
  }
  runningVerifications(): { backupId: string; verificationId: string }[] {
    return runningVerifications(this.database);
  }

  listServices(filters?: ServiceFilters): ServiceRow[] {
    return listServices(this.database, filters);
  }
  /** Catalog imports started and not completed: the worker leaves the streams they reached alone. */
  unfinishedImports(): Set<string> {
    return unfinishedImports(this.database);
  }

  getVolume(id: string, scope: Scope): VolumeRow | null {
    return getVolume(this.database, id, scope);
  }
  listVolumes(request: ListVolumesRequest): Page<VolumeRow> {
    return listVolumes(this.database, request);
  }
  projectQuotaLimits(projectId: string): QuotaAmounts {
    return projectQuotaLimits(this.database, projectId);
  }
  quotaClassLimits(className: string): QuotaAmounts {
    return quotaClassLimits(this.database, className);
  }
  projectQuotaUsage(projectId: string): QuotaUsage {
    return projectQuotaUsage(this.database, projectId);
  }
  quotaClaimsToSettle(projectId: string | null = null): QuotaClaimToSettle[] {
    return quotaClaimsToSettle(this.database, projectId);
  }
  unclaimedImports(): { backupId: string; projectId: string; sizeGb: number; importedAt: string }[] {
    return unclaimedImports(this.database);
  }
  liveSnapshotCount(volumeId: string): number {
    return liveSnapshotCount(this.database, volumeId);
  }

  getVolumeType(id: string, visibility: TypeVisibility): VolumeTypeRow | null {
    return getVolumeType(this.database, id, visibility);
  }
  volumeTypeByName(name: string, visibility: TypeVisibility): VolumeTypeRow | null {
    return volumeTypeByName(this.database, name, visibility);
  }
  listVolumeTypes(request: ListVolumeTypesRequest): Page<VolumeTypeRow> {
    return listVolumeTypes(this.database, request);
  }
  volumeTypeEncryption(volumeTypeId: string): VolumeTypeEncryptionRow | null {
    return volumeTypeEncryption(this.database, volumeTypeId);
  }
  volumesOfTypeCount(volumeTypeId: string): number {
    return volumesOfTypeCount(this.database, volumeTypeId);
  }
  liveVolumeTypeCount(): number {
    return liveVolumeTypeCount(this.database);
  }
  volumeTypeProjects(volumeTypeId: string): string[] {
    return volumeTypeProjects(this.database, volumeTypeId);
  }

  getSnapshot(id: string, scope: Scope): SnapshotRow | null {
    return getSnapshot(this.database, id, scope);
  }
  listSnapshots(request: ListSnapshotsRequest): Page<SnapshotRow> {
    return listSnapshots(this.database, request);
  }

  getMessage(id: string, scope: Scope, visibility: MessageVisibility): MessageRow | null {
    return getMessage(this.database, id, scope, visibility);
  }
  listMessages(request: ListMessagesRequest): Page<MessageRow> {
    return listMessages(this.database, request);
  }

  getJob(backupId: string, kind?: 'backup' | 'restore'): JobRow | null {
    return getJob(this.database, backupId, kind);
  }
  listJobs(scope?: Scope): JobRow[] {
    return listJobs(this.database, scope);
  }
  operationsMetrics(): OperationsMetrics {
    return operationsMetrics(this.database);
  }
  eventsInLog(filter: EventsInLogFilter): AuditRow[] {
    return eventsInLog(this.database, filter);
  }
  /** A backup's links whatever its status, deleted included (audits and exports reach deleted backups). */
  backupRelations(backupId: string): BackupRelations | null {
    return backupRelations(this.database, backupId);
  }
  /** The streams an export of these backups carries (see `historyStreamsOf`). */
  historyStreamsOf(backupIds: readonly string[]): Set<string> {
    return historyStreamsOf(this.database, backupIds);
  }
  eventsOfEntity(kind: EntityKind, id: string, options?: EventsOfEntityOptions): AuditRow[] {
    return eventsOfEntity(this.database, kind, id, options);
  }
}
