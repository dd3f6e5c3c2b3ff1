import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { OperationCancelled } from './errors';
import type { BufferRing } from './pool/buffer-ring';
import { DirectReads } from './direct-reads';
import { readExactly } from './read-exactly';

/** A volume opened for sequential reads: a regular file or a block device. */
export interface VolumeSource {
  readonly path: string;
  readonly sizeBytes: number;
  readonly handle: FileHandle;
  /** Whole-page reads past the page cache, where the volume's file system takes them (`direct-reads.ts`). */
  readonly direct: DirectReads | null;
  close(): Promise<void>;
}

/** Block devices report size 0 to fstat; the kernel publishes it in 512-byte sectors under /sys/dev/block. */
const blockDeviceBytes = async (rdev: number): Promise<number> => {
  const major = Math.floor(rdev / 256) & 0xfff;
  const minor = (rdev & 0xff) | ((Math.floor(rdev / 0x100000) & 0xfff00) >>> 0);
  const sectors = await fsp.readFile(`/sys/dev/block/${major}:${minor}/size`, 'utf8');
  return Number(sectors.trim()) * 512;
};

export const openVolumeSource = async (path: string): Promise<VolumeSource> => {
  const handle = await fsp.open(path, 'r');
  try {
    const stat = await handle.stat();
    if (!stat.isFile() && !stat.isBlockDevice()) throw new Error(`${path} is neither a regular file nor a block device`);
    const sizeBytes = stat.isFile() ? stat.size : await blockDeviceBytes(stat.rdev);
    const direct = await DirectReads.open(path, handle);
    const close = async (): Promise<void> => {
      await direct?.close();
      await handle.close();
    };
    return { path, sizeBytes, handle, direct, close };
  } catch (e) {
    await handle.close();
    throw e;
  }
};

export const throwIfAborted = (signal: AbortSignal | undefined, operation: OperationCancelled['operation']): void => {
  if (signal?.aborted) throw new OperationCancelled(operation);
};

/**
 * Fills ring-sized pieces of `[offset, offset + length)` with `fill`, up to `depth` at once, and yields
 * what `fill` returns in offset order. A piece is a view of a ring buffer that the consumer must release
 * (a failed fill releases its own). The abort signal is checked before every piece.
 */
export async function* piecesInOrder<T extends { readonly piece: Buffer }>(
  ring: BufferRing,
  offset: number,
  length: number,
  depth: number,
  fill: (piece: Buffer, position: number) => Promise<T>,
  signal?: AbortSignal,
  operation: OperationCancelled['operation'] = 'backup',
): AsyncGenerator<T> {
  const end = offset + length;
  let next = offset;
  const ahead: Promise<T>[] = [];
  const start = (): void => {
    const position = next;
    const n = Math.min(ring.sizeBytes, end - position);
    next += n;
    const filled = ring.acquire().then(async (buffer) => {
      try {
        return await fill(buffer.subarray(0, n), position);
      } catch (e) {
        ring.release(buffer);
        throw e;
      }
    });
    filled.catch(() => undefined);
    ahead.push(filled);
  };
  try {
    for (;;) {
      throwIfAborted(signal, operation);
      while (ahead.length < Math.min(depth, ring.count) && next < end) start();
      const filled = ahead.shift();
      if (!filled) return;
      yield await filled;
    }
  } finally {
    // Pieces filled but never handed out go back to the ring once their fills are over.
    for (const filled of ahead.splice(0))
      await filled.then(
        (f) => ring.release(f.piece),
        () => undefined,
      );
  }
}

/** Two reads in flight: one sequential read at a time left the consumers waiting on each round trip. */
const READS_AHEAD = 2;

/** Reads `[offset, offset + length)` into ring-sized pieces on the main thread's I/O pool. */
export async function* readPieces(
  handle: FileHandle,
  ring: BufferRing,
  offset: number,
  length: number,
  signal?: AbortSignal,
  operation: OperationCancelled['operation'] = 'backup',
): AsyncGenerator<Buffer> {
  const fill = async (piece: Buffer, position: number) => {
    await readExactly(handle, piece, piece.length, position);
    return { piece };
  };
  for await (const { piece } of piecesInOrder(ring, offset, length, READS_AHEAD, fill, signal, operation)) yield piece;
}
