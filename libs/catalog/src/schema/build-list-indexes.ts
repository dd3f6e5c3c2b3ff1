import { threadEntry } from '@strata/threads';
import { Worker } from 'node:worker_threads';
import type { CatalogDatabase } from './catalog-database';
import type { IndexBuildReply, IndexBuildRequest } from './index-builder-thread';
import { ensureListIndexes } from './list-indexes';

/**
 * Makes the list indexes the catalog file at `path` lacks (a file built from the log without them, see
 * `dropListIndexes`) on a thread of its own; resolves when they are committed. The caller's connection
 * must not write meanwhile: the thread takes the file's write lock for the whole build.
 */
export const buildListIndexes = (path: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const { file, execArgv } = threadEntry(__filename, 'index-builder-thread');
    const request: IndexBuildRequest = { path };
    const worker = new Worker(file, { workerData: request, ...(execArgv ? { execArgv: [...execArgv] } : {}) });
    let settled = false;
    worker.once('message', (reply: IndexBuildReply) => {
      settled = true;
      if ('done' in reply) resolve();
      else reject(new Error(`Could not build the catalog's list indexes: ${reply.error}`));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`The catalog's index builder exited with code ${code} before it answered`));
    });
  });

/**
 * Makes the list indexes of a file built from the log without them (`dropListIndexes`): on a thread of
 * their own for a file, so the sorts hold no event loop; on the connection itself for `:memory:`. The
 * connection must not write until this resolves.
 */
export const finishListIndexes = async (db: CatalogDatabase, path: string): Promise<void> => {
  if (path === ':memory:') ensureListIndexes(db);
  else await buildListIndexes(path);
};
