/**
 * The code of the thread `startCatalogFileBuild` starts: builds a catalog file from the log up to a
 * position, on connections of its own (the log through `openSqliteEventStore(storeFile)`, the file through
 * `openCatalogForRebuild`), so a replay of a million events holds no event loop that answers requests.
 * The list indexes are left out during the replay and sorted once at the end, and the file is synced,
 * here as well. Parked events are reported as they happen; the last message says the file is done, or why
 * it is not.
 */
// The SQLite adapter alone: the package's index loads every adapter (EventStoreDB's gRPC client: 0.3 s of CPU).
import { openSqliteEventStore } from '@strata/event-store/sqlite/sqlite-event-store';
import { parentPort, workerData } from 'node:worker_threads';
import { messageOf } from '../errors';
import { ProjectionRunner } from '../projection-runner';
import { openCatalogForRebuild, sealRebuiltCatalog } from '../schema/catalog-database';
import { dropListIndexes, ensureListIndexes } from '../schema/list-indexes';

export interface CatalogBuildRequest {
  /** The SQLite file of the log (`EventStore.replicaFile`). */
  readonly storeFile: string;
  readonly path: string;
  /** The position the file must reach, as decimal text (a bigint does not cross threads). */
  readonly upTo: string;
  readonly checkpointName: string;
  readonly batchSize: number;
  readonly waitMs: number;
}

export interface ParkedReport {
  readonly projection: string;
  readonly position: string;
  readonly eventId: string;
  readonly streamId: string;
  readonly eventType: string;
  readonly cause: string;
}

export type CatalogBuildReply = { readonly parked: ParkedReport } | { readonly done: string } | { readonly error: string };

const request = workerData as CatalogBuildRequest;
const reply = (message: CatalogBuildReply) => parentPort?.postMessage(message);

const build = async (): Promise<bigint> => {
  // Read once from start to end: SQLite's own 2 MiB page cache, not the 32 MiB the live store keeps.
  const store = openSqliteEventStore(request.storeFile, { cacheKiB: 2048 });
  try {
    const db = openCatalogForRebuild(request.path);
    try {
      dropListIndexes(db);
      const runner = new ProjectionRunner(db, store, {
        batchSize: request.batchSize,
        checkpointName: request.checkpointName,
        onParked: (failure) =>
          reply({
            parked: {
              projection: failure.projection,
              position: failure.position.toString(),
              eventId: failure.eventId,
              streamId: failure.streamId,
              eventType: failure.eventType,
              cause: messageOf(failure.cause),
            },
          }),
      });
      runner.start();
      try {
        await runner.caughtUp();
        await runner.waitForPosition(BigInt(request.upTo), request.waitMs);
      } finally {
        await runner.stop();
      }
      ensureListIndexes(db);
      // Written through and synced here: the seal before the swap, on the event loop, is left only the tail.
      sealRebuiltCatalog(db);
      return runner.position();
    } finally {
      db.close();
    }
  } finally {
    await store.close();
  }
};

build().then(
  (position) => reply({ done: position.toString() }),
  (error: unknown) => reply({ error: messageOf(error) }),
);
