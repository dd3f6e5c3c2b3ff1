import type { EventStore } from '@strata/event-store';
import { threadEntry } from '@strata/threads';
import { Worker } from 'node:worker_threads';
import { CatalogBuildStopped, ProjectionFailed } from '../errors';
import { CATALOG_CHECKPOINT } from '../projection-checkpoint';
import { ProjectionRunner, type ProjectionRunnerOptions } from '../projection-runner';
import { finishBuild } from '../schema/finish-build';
import { openCatalogForRebuild, removeDatabaseFilesOffTheEventLoop } from '../schema/catalog-database';
import { leaveForTheEnd } from '../schema/left-for-the-end';
import type { BuildPartName } from './build-parts';
import type { CatalogBuildReply, CatalogBuildRequest, CatalogThreadCommand } from './catalog-build-thread';
import { setTimeout as delay } from 'node:timers/promises';

/** Events per transaction while a file is built from the log: fewer commits than the live runner's. */
const BUILD_BATCH = 1000;
/**
 * The young generation of a part's thread and of the merge's, in MB. Two parts run at once, and with V8's
 * own size for a thread a build of a million events peaked at 203–208 MiB in a process doing nothing else;
 * with 16 MB, 172–175 MiB in 16.3–17.0 s (16.4–17.1 s before); with 8 MB or less, no lower and 19.9–20.2 s
 * (2026-12-07, `GLIBC_TUNABLES` unset).
 */
const PART_YOUNG_GENERATION_MB = 16;
/** How long a follower asked to stop may take to commit its batch and close before it is terminated. */
const FOLLOW_STOP_MS = 10_000;
/** How long a follower told where to finish may take to get there. */
const FOLLOW_FINISH_MS = 30 * 60_000;

/** A catalog file being built from the log. */
export interface CatalogFileBuild {
  /** Where the build runs: a thread of its own, or this event loop (between its turns). */
  readonly where: 'thread' | 'event loop';
  /** Resolves once the file holds every event up to the position asked, with its list indexes, and is closed. */
  readonly finished: Promise<void>;
  /** Gives the build up: `finished` rejects with `CatalogBuildStopped`, and the file is left to be removed. */
  cancel(): Promise<void>;
}

export interface CatalogFileBuildOptions extends Pick<ProjectionRunnerOptions, 'checkpointName' | 'onParked' | 'now' | 'projections'> {
  /** How long the replay may take to reach the position. */
  readonly waitMs: number;
  /**
   * Whether a build on threads may take both cores, in two parts at once (`build-parts.ts`): for a build
   * that readiness waits for, when the event loop has nothing to answer. A rebuild beside a catalog that
   * serves runs whole, on one thread, and leaves the other core to the requests: at a million events, with
   * a client sending requests back to back, two parts took 25.7–28.8 s and one thread 23.4–24.0 s (alone:
   * 17.0–17.4 s against 22.8–23.1 s).
   */
  readonly inParts?: boolean;
}

/**
 * The log's SQLite file when a thread may project it (`replicaFile`: the SQLite store over a file) with
 * the catalog's own projections and clock; null otherwise (EventStoreDB, a store in memory, a test's own
 * projections or clock), and the work runs on this event loop.
 */
export const threadReplicaOf = (store: EventStore, options: Pick<ProjectionRunnerOptions, 'now' | 'projections'>): string | null =>
  store.replicaFile !== undefined && options.projections === undefined && options.now === undefined ? store.replicaFile : null;

/**
 * Builds a new catalog file at `path` from the log, up to `upTo`, with its list indexes and totals made
 * once at the end (see `leaveForTheEnd`). Where a thread can read the log (`threadReplicaOf`), the whole replay
 * runs there, so requests keep their event loop however long the log; otherwise it runs on this event
 * loop, a batch at a time. The caller removes the file when the build fails or is cancelled.
 */
export const startCatalogFileBuild = (
  store: EventStore,
  path: string,
  upTo: bigint,
  options: CatalogFileBuildOptions,
): CatalogFileBuild => {
  const storeFile = threadReplicaOf(store, options);
  if (storeFile === null) return buildOnEventLoop(store, path, upTo, options);
  return options.inParts ? buildInParts(storeFile, path, upTo, options) : wholeOnThread(storeFile, path, upTo, options);
};

/** A build of the whole file on one thread: its list indexes and seal there too. */
const wholeOnThread = (storeFile: string, path: string, upTo: bigint, options: CatalogFileBuildOptions): CatalogFileBuild =>
  threadWork(replayRequest(storeFile, path, upTo, options), options);

/** `onThread`, for a caller that never writes to the thread. */
const threadWork = (request: CatalogBuildRequest, options: Pick<ProjectionRunnerOptions, 'onParked'>): CatalogFileBuild => {
  const { worker: _worker, ...work } = onThread(request, options);
  return work;
};

const replayRequest = (storeFile: string, path: string, upTo: bigint, options: CatalogFileBuildOptions, part?: BuildPartName) =>
  ({
    mode: 'build',
    storeFile,
    path,
    upTo: upTo.toString(),
    checkpointName: options.checkpointName ?? CATALOG_CHECKPOINT,
    batchSize: BUILD_BATCH,
    waitMs: options.waitMs,
    ...(part ? { part } : {}),
  }) satisfies CatalogBuildRequest;

/**
 * The two parts of `build-parts.ts` built at once on two threads, the first into `path` and the second
 * into a file beside it, each with its list indexes, then merged into `path` on a third thread, which
 * seals the file. Each part replays the whole log; together they take about the time of the larger, on
 * two cores. An event a part parks is applied by the other part's projections, which a
 * build with all of them would not have done: the parts are then thrown away and the file is built whole,
 * on one thread, which parks and reports it as a build always did (a parked event is a bug or a hostile
 * record: rare, and the file must be exactly what the log makes).
 */
const buildInParts = (storeFile: string, path: string, upTo: bigint, options: CatalogFileBuildOptions): CatalogFileBuild => {
  const partPath = `${path}.part`;
  let running: readonly CatalogFileBuild[] = [];
  let cancelled = false;
  const start = (...builds: CatalogFileBuild[]): Promise<void> => {
    if (cancelled) throw new CatalogBuildStopped();
    running = builds;
    return settleAll(builds);
  };
  const finished = (async () => {
    try {
      // A file left beside by a crash.
      await removeDatabaseFilesOffTheEventLoop(partPath);
      let parked = false;
      const quiet = { onParked: () => void (parked = true) };
      await start(
        threadWork(replayRequest(storeFile, path, upTo, options, 'backups'), quiet),
        threadWork(replayRequest(storeFile, partPath, upTo, options, 'others'), quiet),
      );
      if (!parked) return await start(threadWork({ mode: 'merge', path, partPath }, options));
      await removeDatabaseFilesOffTheEventLoop(path, partPath);
      await start(wholeOnThread(storeFile, path, upTo, options));
    } catch (error) {
      await removeDatabaseFilesOffTheEventLoop(partPath);
      throw error;
    }
  })();
  finished.catch(() => undefined);
  return {
    where: 'thread',
    finished,
    cancel: async () => {
      cancelled = true;
      await Promise.all(running.map((build) => build.cancel()));
      await finished.catch(() => undefined);
    },
  };
};

/** Waits for every build; the first failure is thrown once all have stopped (the others cancelled by it). */
const settleAll = async (builds: readonly CatalogFileBuild[]): Promise<void> => {
  const failures: unknown[] = [];
  await Promise.all(
    builds.map((build) =>
      build.finished.catch(async (error: unknown) => {
        if (failures.push(error) === 1) await Promise.all(builds.map((other) => other.cancel()));
      }),
    ),
  );
  if (failures.length > 0) throw failures[0];
};

export interface CatalogFollowerOptions extends Pick<ProjectionRunnerOptions, 'checkpointName' | 'onParked'> {
  /** Told after each batch the thread committed, with the file's new checkpoint. */
  readonly onCommitted: (position: bigint) => void;
}

/** A thread projecting the log into the live file until told where to finish. */
export interface CatalogFollower extends CatalogFileBuild {
  /** Resolves once the file holds every event up to `position` and the thread has closed it. */
  finishAt(position: bigint): Promise<void>;
}

/**
 * Projects the log into the live catalog file at `path` on a thread of its own, from its checkpoint,
 * indexes and all, while this event loop keeps answering from the same file (WAL: every batch the thread
 * commits is visible to it), and while the caller appends (an import: the appends and their projection
 * run on two cores). Only with a file from `threadReplicaOf`, and only while nothing else writes the
 * catalog: the caller's runner is stopped until `finished` settles.
 */
export const startCatalogFollower = (storeFile: string, path: string, options: CatalogFollowerOptions): CatalogFollower =>
  toldWhereToFinish({ mode: 'follow' }, storeFile, path, options, options.onCommitted);

/**
 * Builds a new catalog file at `path` from the whole log on a thread, as `startCatalogFileBuild` does (list
 * indexes sorted once at the end), following the log while the caller appends, until told where to finish:
 * an import that brings at least as many events as the log held is projected this way, not into the live
 * file's indexes (see `Catalog.projectingOnThread`). The caller removes the file when the build fails or is cancelled.
 */
export const startCatalogBuildAlongside = (
  storeFile: string,
  path: string,
  options: Pick<ProjectionRunnerOptions, 'checkpointName' | 'onParked'>,
): CatalogFollower => toldWhereToFinish({ mode: 'build', upTo: null }, storeFile, path, options);

/** A thread on `storeFile` and `path` that goes on until told where to finish (`finishAt`). */
const toldWhereToFinish = (
  mode: { readonly mode: 'follow' } | { readonly mode: 'build'; readonly upTo: null },
  storeFile: string,
  path: string,
  options: Pick<ProjectionRunnerOptions, 'checkpointName' | 'onParked'>,
  onCommitted?: (position: bigint) => void,
): CatalogFollower => {
  const { worker, ...work } = onThread(
    {
      ...mode,
      storeFile,
      path,
      checkpointName: options.checkpointName ?? CATALOG_CHECKPOINT,
      batchSize: BUILD_BATCH,
      waitMs: FOLLOW_FINISH_MS,
    },
    options,
    onCommitted,
  );
  return {
    ...work,
    finishAt: (position) => {
      worker.postMessage({ finishAt: position.toString() } satisfies CatalogThreadCommand);
      return work.finished;
    },
  };
};

const onThread = (
  request: CatalogBuildRequest,
  options: Pick<ProjectionRunnerOptions, 'onParked'>,
  onCommitted?: (position: bigint) => void,
): CatalogFileBuild & { readonly worker: Worker } => {
  const { file, execArgv } = threadEntry(__filename, 'catalog-build-thread');
  const ofParts = request.mode === 'merge' || (request.mode === 'build' && request.part !== undefined);
  const worker = new Worker(file, {
    workerData: request,
    ...(execArgv ? { execArgv: [...execArgv] } : {}),
    ...(ofParts ? { resourceLimits: { maxYoungGenerationSizeMb: PART_YOUNG_GENERATION_MB } } : {}),
  });
  let cancelled = false;
  const finished = new Promise<void>((resolve, reject) => {
    worker.on('message', (reply: CatalogBuildReply) => {
      if ('parked' in reply) {
        const { projection, position, eventId, streamId, eventType, cause } = reply.parked;
        options.onParked?.(
          new ProjectionFailed(projection, { position: BigInt(position), id: eventId, streamId, type: eventType }, new Error(cause)),
        );
      } else if ('committed' in reply) onCommitted?.(BigInt(reply.committed));
      else if ('done' in reply) {
        onCommitted?.(BigInt(reply.done));
        resolve();
        // The thread has closed its connections; nothing of it may outlive the work, whatever it left behind.
        void worker.terminate();
      } else reject(new Error(`Could not bring the catalog up to the log on its thread: ${reply.error}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(cancelled ? new CatalogBuildStopped() : new Error(`The catalog's thread exited with code ${code} before it finished`)),
    );
  });
  finished.catch(() => undefined);
  return {
    worker,
    where: 'thread',
    finished,
    cancel: async () => {
      cancelled = true;
      if (request.mode === 'follow') {
        // Asked, not killed: it commits its batch and closes the live file; killed only if it does not answer.
        worker.postMessage({ stop: true } satisfies CatalogThreadCommand);
        const answered = await Promise.race([
          finished.then(
            () => true,
            () => true,
          ),
          delay(FOLLOW_STOP_MS, false, { ref: false }),
        ]);
        if (answered) return;
      }
      await worker.terminate();
      await finished.catch(() => undefined);
    },
  };
};

const buildOnEventLoop = (store: EventStore, path: string, upTo: bigint, options: CatalogFileBuildOptions): CatalogFileBuild => {
  let stop: () => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => {
    stop = () => reject(new CatalogBuildStopped());
  });
  stopped.catch(() => undefined);
  const untilStopped = <T>(step: Promise<T>): Promise<T> => Promise.race([step, stopped]);
  const db = openCatalogForRebuild(path);
  const { waitMs, checkpointName, onParked, now, projections } = options;
  const runner = new ProjectionRunner(db, store, { checkpointName, onParked, now, projections, batchSize: BUILD_BATCH });
  const finished = (async () => {
    try {
      leaveForTheEnd(db);
      await untilStopped(runner.buildTo(upTo, waitMs));
      await runner.stop();
      // Not raced with a cancel: the sorts run on a thread that holds the file until it is done.
      await finishBuild(db, path);
    } finally {
      await runner.stop();
      db.close();
    }
  })();
  finished.catch(() => undefined);
  return {
    where: 'event loop',
    finished,
    cancel: async () => {
      stop();
      await finished.catch(() => undefined);
    },
  };
};
