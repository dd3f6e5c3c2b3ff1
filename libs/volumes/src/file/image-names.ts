import { basename, dirname, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { InvalidVolumeId } from '../errors';

/** Ids become part of a file name: nothing that could climb out of the directory gets through. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export type ImageRole = 'volume' | 'snapshot';

/** `<dir>/volume-<id>.img` or `<dir>/snapshot-<id>.img`, the names Cinder's file drivers use. */
export const imagePath = (dir: string, role: ImageRole, id: string): string => {
  if (!SAFE_ID.test(id)) throw new InvalidVolumeId(id);
  return join(dir, `${role}-${id}.img`);
};

/**
 * A hidden, unique name beside the final one. Images are built there and only then linked into
 * place, so a crash never leaves a half-written image under a name a retry would trust.
 */
export const partialPath = (finalPath: string): string => join(dirname(finalPath), `.${basename(finalPath)}.${randomUUID()}.partial`);

/** The unfinished image a copy into a new volume builds, under a fixed name so that a resumed copy finds it. */
export const copyPath = (finalPath: string): string => join(dirname(finalPath), `.${basename(finalPath)}.copy`);

/** Whether `path` is an image of that role directly inside `dir`, i.e. one this provider made. */
export const isOwnImage = (dir: string, role: ImageRole, path: string): boolean => {
  const name = basename(path);
  return (
    dirname(resolve(path)) === resolve(dir) &&
    name.startsWith(`${role}-`) &&
    name.endsWith('.img') &&
    SAFE_ID.test(name.slice(role.length + 1, -'.img'.length))
  );
};
