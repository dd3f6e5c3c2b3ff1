/**
 * The code of the thread `buildListIndexes` starts: makes the list indexes a catalog file lacks on a
 * connection of its own, so the sorts (seconds at a million events) never hold the event loop that
 * answers requests. One transaction: the file has every index or none of them.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { ensureListIndexes } from './list-indexes';

export interface IndexBuildRequest {
  readonly path: string;
}
export type IndexBuildReply = { readonly done: true } | { readonly error: string };

const { path } = workerData as IndexBuildRequest;
const reply = (message: IndexBuildReply) => parentPort?.postMessage(message);
try {
  const db = new Database(path);
  try {
    db.pragma('busy_timeout = 30000');
    ensureListIndexes(db);
  } finally {
    db.close();
  }
  reply({ done: true });
} catch (error) {
  reply({ error: error instanceof Error ? error.message : String(error) });
}
