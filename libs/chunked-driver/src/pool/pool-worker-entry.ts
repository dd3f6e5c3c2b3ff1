import { threadEntry, type ThreadEntry } from '@strata/threads';

export type PoolWorkerEntry = ThreadEntry;

/** How a pool thread starts: from pool-worker beside this file, in this file's own form (see `threadEntry`). */
export const poolWorkerEntry = (): PoolWorkerEntry => threadEntry(__filename, 'pool-worker');
