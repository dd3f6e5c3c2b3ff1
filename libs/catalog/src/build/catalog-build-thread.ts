/**
 * The code of the thread `startCatalogFileBuild` and `startCatalogFollower` start: projects the log into a
 * catalog file on connections of its own (the log through `openSqliteEventStore(storeFile)`, the file
 * through its own connection), so a replay of a million events holds no event loop that answers requests.
 * - `build`: a new file from position 0 up to `upTo`, or, without one, following the log (an import's appends)
 *   until told where to finish; the list indexes are left out during the replay and sorted once at the end,
 *   and the file is synced, here as well.
 * - `build` of a `part` (`build-parts.ts`): that part's projections alone, into a file of its own, with its
 *   list indexes (the two parts sort theirs at once), unsealed;
 * - `merge`: the second part's tables copied into the first part's file with their indexes, the second
 *   part's file removed, and the seal of a build;
 * - `follow`: the live file, indexes and all, from its checkpoint on, following the log (appends made
 *   meanwhile, an import's) until told to finish at a position; each committed batch is reported, so that
 *   the readers waiting for a position are released as it is reached.
 * Parked events are reported as they happen; the last message says the work is done, or why it is not.
 */
// The SQLite adapter alone: the package's index loads every adapter (EventStoreDB's gRPC client: 0.3 s of CPU).
import { openSqliteEventStore } from '@strata/event-store/sqlite/sqlite-event-store';
import { parentPort, workerData } from 'node:worker_threads';
import { messageOf, type ProjectionFailed } from '../errors';
import { ProjectionRunner } from '../projection-runner';
import { openCatalogDatabase, openCatalogForRebuild, removeDatabaseFiles, sealRebuiltCatalog } from '../schema/catalog-database';
import { leaveForTheEnd, makeWhatWasLeft } from '../schema/left-for-the-end';
import { flushInBackground } from './background-flush';
import { OTHERS_TABLES, partProjections, preparePart, type BuildPartName } from './build-parts';
import { mergeBuildPart } from './merge-build-part';

export type CatalogBuildRequest = ReplayRequest | MergeRequest;

/** Copies the second part, built at `partPath`, into the first part's file at `path` (`mergeBuildPart`), and seals it. */
export interface MergeRequest {
  readonly mode: 'merge';
  readonly path: string;
  readonly partPath: string;
}

type ReplayRequest = {
  /** The SQLite file of the log (`EventStore.replicaFile`). */
  readonly storeFile: string;
  readonly path: string;
  readonly checkpointName: string;
  readonly batchSize: number;
  /** How long the replay may take to reach the position it is to reach. */
  readonly waitMs: number;
} & (
  | {
      readonly mode: 'build';
      /** The position the file must reach, as decimal text (a bigint does not cross threads); null: where it is told. */
      readonly upTo: string | null;
      /** Only this part's projections, into a file left unsealed for the merge (with its list indexes). */
      readonly part?: BuildPartName;
    }
  | { readonly mode: 'follow' }
);

export interface ParkedReport {
  readonly projection: string;
  readonly position: string;
  readonly eventId: string;
  readonly streamId: string;
  readonly eventType: string;
  readonly cause: string;
}

export type CatalogBuildReply =
  { readonly parked: ParkedReport } | { readonly committed: string } | { readonly done: string } | { readonly error: string };

const request = workerData as CatalogBuildRequest;
const reply = (message: CatalogBuildReply) => parentPort?.postMessage(message);

/**
 * A follower is told the position to finish at, or asked to stop rather than terminated: it commits what
 * it has and closes the live file cleanly (the file goes on serving; a thread killed inside a transaction
 * would leave that to SQLite).
 */
export type CatalogThreadCommand = { readonly stop: true } | { readonly finishAt: string };
const told = {
  toStop: new Promise<void>((resolve) => parentPort?.on('message', (command: CatalogThreadCommand) => 'stop' in command && resolve())),
  finishAt: new Promise<bigint>((resolve) =>
    parentPort?.on('message', (command: CatalogThreadCommand) => 'finishAt' in command && resolve(BigInt(command.finishAt))),
  ),
};

const reportParked = (failure: ProjectionFailed) =>
  reply({
    parked: {
      projection: failure.projection,
      position: failure.position.toString(),
      eventId: failure.eventId,
      streamId: failure.streamId,
      eventType: failure.eventType,
      cause: messageOf(failure.cause),
    },
  });

const merge = ({ path, partPath }: MergeRequest): bigint => {
  const db = openCatalogForRebuild(path);
  try {
    mergeBuildPart(db, partPath, OTHERS_TABLES);
    removeDatabaseFiles(partPath);
    sealRebuiltCatalog(db);
    // The position is the first part's, which its own thread reported.
    return 0n;
  } finally {
    db.close();
  }
};

const replay = async (request: ReplayRequest): Promise<bigint> => {
  // Read once from start to end: SQLite's own 2 MiB page cache, not the 32 MiB the live store keeps.
  const store = openSqliteEventStore(request.storeFile, { cacheKiB: 2048 });
  try {
    const building = request.mode === 'build';
    const db = building ? openCatalogForRebuild(request.path) : openCatalogDatabase(request.path);
    try {
      if (building) leaveForTheEnd(db);
      const flushing = building ? await flushInBackground(request.path) : null;
      const part = request.mode === 'build' ? request.part : undefined;
      if (part) preparePart(part, db);
      const runner = new ProjectionRunner(db, store, {
        ...(part ? { projections: partProjections(part) } : {}),
        batchSize: request.batchSize,
        checkpointName: request.checkpointName,
        onParked: reportParked,
        onCommitted: building ? undefined : (position) => reply({ committed: position.toString() }),
      });
      try {
        if (request.mode === 'build' && request.upTo !== null) await runner.buildTo(BigInt(request.upTo), request.waitMs);
        else {
          runner.start();
          await Promise.race([told.finishAt.then((position) => runner.waitForPosition(position, request.waitMs)), told.toStop]);
        }
      } finally {
        await runner.stop();
        await flushing?.stop();
      }
      const failure = runner.failure();
      if (failure) throw failure;
      if (building) makeWhatWasLeft(db);
      // Written through and synced here (a part's by the merge): the seal before the swap, on the event
      // loop, is left only the tail.
      if (building && !part) sealRebuiltCatalog(db);
      return runner.position();
    } finally {
      db.close();
    }
  } finally {
    await store.close();
  }
};

(request.mode === 'merge' ? Promise.resolve().then(() => merge(request)) : replay(request)).then(
  (position) => reply({ done: position.toString() }),
  (error: unknown) => reply({ error: messageOf(error) }),
);
