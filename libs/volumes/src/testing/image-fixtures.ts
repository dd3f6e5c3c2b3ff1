/** Helpers for the specs: real files in temporary directories, measured the way the kernel sees them. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MIB = 1024 ** 2;

export const makeTempDir = (label: string): Promise<string> => mkdtemp(join(tmpdir(), `strata-volumes-${label}-`));

export const removeTempDir = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true });

/** Bytes actually allocated on disk; holes count for nothing. */
export const allocatedBytes = async (path: string): Promise<number> => (await stat(path)).blocks * 512;

/** Streamed, so a device or a large image is never held in memory. */
export const sha256Of = (path: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: 4 * MIB })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });

/** Reads `length` bytes at `offset` (a file or a device). */
export const readAt = async (path: string, offset: number, length = 4096): Promise<Buffer> => {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
};

/** Byte-for-byte equality in fixed chunks: memcmp speed on a GiB image, bounded memory. */
export const sameBytes = async (a: string, b: string): Promise<boolean> => {
  const [ha, hb] = await Promise.all([open(a, 'r'), open(b, 'r')]);
  try {
    const [ba, bb] = [Buffer.alloc(8 * MIB), Buffer.alloc(8 * MIB)];
    for (let offset = 0; ; offset += ba.length) {
      const [ra, rb] = await Promise.all([ha.read(ba, 0, ba.length, offset), hb.read(bb, 0, bb.length, offset)]);
      if (ra.bytesRead !== rb.bytesRead || !ba.subarray(0, ra.bytesRead).equals(bb.subarray(0, rb.bytesRead))) return false;
      if (ra.bytesRead === 0) return true;
    }
  } finally {
    await Promise.all([ha.close(), hb.close()]);
  }
};

export const zeros = (length = 4096): Buffer => Buffer.alloc(length);

/** Writes `bytes` at `offset` in place (a file or a device) and flushes them. */
export const writeAt = async (path: string, offset: number, bytes: Buffer): Promise<void> => {
  const handle = await open(path, 'r+');
  try {
    await handle.write(bytes, 0, bytes.length, offset);
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/** A sparse file of `sizeBytes` with a few recognisable blocks of data and holes everywhere else. */
export const makeSparseImage = async (path: string, sizeBytes: number, dataOffsets: number[]): Promise<void> => {
  const handle = await open(path, 'wx', 0o660);
  try {
    await handle.truncate(sizeBytes);
    for (const offset of dataOffsets) await handle.write(pattern(offset), 0, 4096, offset);
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/** 4 KiB that differ by offset, so a block copied to the wrong place is caught. */
export const pattern = (seed: number): Buffer => {
  const block = Buffer.alloc(4096);
  for (let i = 0; i < block.length; i++) block[i] = (seed / 4096 + i * 31 + 7) & 0xff;
  return block;
};
