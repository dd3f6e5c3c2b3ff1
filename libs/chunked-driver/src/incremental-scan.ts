import { ChangedRunFinder, Extent } from './changed-extents';
import type { WrittenObject } from './metadata-file';
import type { ObjectWriteContext } from './object-writer';
import { readPieces, throwIfAborted } from './volume-source';

/**
 * Changed runs written at once. Each object ends in an fsync of the file and of its directory, and a
 * 1%-changed 1 GiB volume has about 320 runs: written one by one they took longer than hashing the volume.
 */
const WRITES_IN_FLIGHT = 4;

export interface ChunkScan {
  /** The chunk's block hashes, in order. */
  readonly sha256s: string[];
  /** The chunk's objects, in offset order. */
  readonly objects: WrittenObject[];
}

/**
 * One chunk of an incremental: hashes its pieces on the pool and, as soon as a run of changed blocks
 * closes, writes it with `writeRun` (up to WRITES_IN_FLIGHT at once) while later pieces are still being
 * hashed. Runs reach `writeRun` in offset order, so objects are numbered as Cinder's serial loop numbers them.
 */
export const scanChangedChunk = async (
  ctx: ObjectWriteContext,
  chunk: { readonly offsetBytes: number; readonly lengthBytes: number },
  parent: readonly string[],
  writeRun: (run: Extent) => Promise<WrittenObject>,
): Promise<ChunkScan> => {
  const finder = new ChangedRunFinder({ ...chunk, blockSizeBytes: ctx.options.shaBlockSizeBytes, parent });
  const sha256s: string[] = [];
  const objects: Promise<WrittenObject>[] = [];
  const writes = new Set<Promise<void>>();
  let failure: unknown = null;
  let inOrder: Promise<void> = Promise.resolve();

  const startRuns = async (runs: readonly Extent[]): Promise<void> => {
    for (const run of runs) {
      while (writes.size >= WRITES_IN_FLIGHT) await Promise.race(writes);
      if (failure !== null) throw failure;
      throwIfAborted(ctx.signal, 'backup');
      const object = writeRun(run);
      objects.push(object);
      const settled: Promise<void> = object.then(() => undefined, (e) => { failure ??= e; })
        .finally(() => writes.delete(settled));
      writes.add(settled);
    }
  };
  /** Hash results are consumed strictly in piece order, whatever order the pool finishes them in. */
  const thenInOrder = (step: () => Promise<void>): void => {
    inOrder = inOrder.then(step);
    inOrder.catch((e) => { failure ??= e; });
  };

  try {
    for await (const piece of readPieces(ctx.source.handle, ctx.ring, chunk.offsetBytes, chunk.lengthBytes, ctx.signal)) {
      if (failure !== null) throw failure;
      const hashed = ctx.pool.sha256Blocks(piece, ctx.options.shaBlockSizeBytes);
      hashed.then(() => ctx.ring.release(piece), () => ctx.ring.release(piece));
      thenInOrder(async () => {
        const hashes = await hashed;
        sha256s.push(...hashes);
        await startRuns(finder.push(hashes));
      });
      ctx.onScanned?.(piece.length);
    }
    thenInOrder(() => startRuns(finder.end()));
    await inOrder;
    return { sha256s, objects: await Promise.all(objects) };
  } finally {
    // Nothing may still be writing when the caller cleans up after a failure or a cancel.
    await inOrder.catch(() => undefined);
    await Promise.allSettled(objects);
  }
};
