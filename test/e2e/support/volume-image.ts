import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningStrata } from './strata-app';

const MiB = 1024 * 1024;

/** The file behind a file-backed volume. */
export const imageOf = (strata: RunningStrata, volumeId: string) => join(strata.options.volumes_path, `volume-${volumeId}.img`);

/** Overwrites bytes of an image in place (a volume changing between backups). */
export const writeAt = async (path: string, offset: number, data: Buffer) => {
  const handle = await open(path, 'r+');
  try {
    await handle.write(data, 0, data.length, offset);
  } finally {
    await handle.close();
  }
};

/** Hash of a whole image, streamed so the server sharing this process keeps answering. */
export const digestOf = async (path: string) => {
  const hash = createHash('sha256');
  for await (const piece of createReadStream(path, { highWaterMark: 4 * MiB })) hash.update(piece as Buffer);
  return hash.digest('hex');
};
