import { link, open, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Gives a finished partial file its final name without ever replacing an existing one: link(2)
 * fails with EEXIST where rename(2) would overwrite. Two racing creators therefore both end up
 * with the first one's image. Returns false when the final name was already taken.
 */
export const publishWithoutReplacing = async (partial: string, finalPath: string): Promise<boolean> => {
  try {
    await link(partial, finalPath);
    return true;
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false;
    throw err;
  } finally {
    await removeIfPresent(partial);
    await syncDirectory(dirname(finalPath));
  }
};

/** Flushes a file's data so an image reported as created survives a power cut. */
export const syncFile = async (path: string): Promise<void> => {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/** Makes a directory entry (a link or an unlink) durable. */
export const syncDirectory = (dir: string): Promise<void> => syncFile(dir);

/** Deleting what is already gone is a success, so a repeated delete is harmless. */
export const removeIfPresent = async (path: string): Promise<void> => {
  try {
    await unlink(path);
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw err;
  }
};

export const statIfPresent = async (path: string) => {
  try {
    return await stat(path);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
};

/** Duck-typed: errors from node's fs may come from another realm (Jest's sandbox), failing instanceof. */
const errorCode = (err: unknown): unknown => (typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined);
