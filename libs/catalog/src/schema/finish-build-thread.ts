/**
 * The code of the thread `finishBuildOnThread` starts: makes what a catalog file built from the log left
 * for the end (`left-for-the-end.ts`) on a connection of its own, so the sorts (seconds at a million
 * events) never hold the event loop that answers requests. The list indexes in one transaction (the file
 * has every index or none of them), then the totals in another.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { makeWhatWasLeft } from './left-for-the-end';

export interface FinishBuildRequest {
  readonly path: string;
}
export type FinishBuildReply = { readonly done: true } | { readonly error: string };

const { path } = workerData as FinishBuildRequest;
const reply = (message: FinishBuildReply) => parentPort?.postMessage(message);
try {
  const db = new Database(path);
  try {
    db.pragma('busy_timeout = 30000');
    makeWhatWasLeft(db);
  } finally {
    db.close();
  }
  reply({ done: true });
} catch (error) {
  reply({ error: error instanceof Error ? error.message : String(error) });
}
