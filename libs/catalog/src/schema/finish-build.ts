import { threadEntry } from '@strata/threads';
import { Worker } from 'node:worker_threads';
import type { CatalogDatabase } from './catalog-database';
import type { FinishBuildReply, FinishBuildRequest } from './finish-build-thread';
import { makeWhatWasLeft } from './left-for-the-end';

/**
 * Makes what the catalog file at `path` lacks of what a build leaves for the end (`leaveForTheEnd`) on a
 * thread of its own; resolves when it is committed. The caller's connection must not write meanwhile: the
 * thread takes the file's write lock.
 */
export const finishBuildOnThread = (path: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const { file, execArgv } = threadEntry(__filename, 'finish-build-thread');
    const request: FinishBuildRequest = { path };
    const worker = new Worker(file, { workerData: request, ...(execArgv ? { execArgv: [...execArgv] } : {}) });
    let settled = false;
    worker.once('message', (reply: FinishBuildReply) => {
      settled = true;
      if ('done' in reply) resolve();
      else reject(new Error(`Could not finish the catalog's build: ${reply.error}`));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`The catalog's build finisher exited with code ${code} before it answered`));
    });
  });

/**
 * Makes what a file built from the log left for the end (`leaveForTheEnd`): on a thread of its own for a
 * file, so the sorts hold no event loop; on the connection itself for `:memory:`. The connection must not
 * write until this resolves.
 */
export const finishBuild = async (db: CatalogDatabase, path: string): Promise<void> => {
  if (path === ':memory:') makeWhatWasLeft(db);
  else await finishBuildOnThread(path);
};
