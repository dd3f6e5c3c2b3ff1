import { pipeline } from 'node:stream/promises';
import { codecForRecorded } from './codecs/codec-registry';
import { DriverError, RestoreVerificationFailed } from './errors';
import type { WrittenObject } from './metadata-file';
import type { BufferRing } from './pool/buffer-ring';
import type { WorkerPool } from './pool/worker-pool';
import type { BackupRepository } from './repository.port';

export interface ObjectReadContext {
  readonly repository: BackupRepository;
  readonly pool: WorkerPool;
  /** Its buffer size is the piece size handed to `consume`. */
  readonly ring: BufferRing;
}

/**
 * Reads one object, decompressing it by its own `compression`, and hands its uncompressed bytes to
 * `consume` in ring-sized pieces counted from the object's start. Checks the length and the md5 that
 * `_metadata` recorded; an undecodable or wrong object fails naming it.
 */
export const readObject = async (
  ctx: ObjectReadContext,
  container: string,
  entry: WrittenObject,
  consume: (piece: Buffer, offsetInObject: number) => Promise<void>,
): Promise<void> => {
  const codec = codecForRecorded(entry.compression);
  const reader = await ctx.repository.openReader(container, entry.name);
  const md5 = ctx.pool.openMd5(entry.lengthBytes);
  const pending = new Set<Promise<void>>();
  let failure: unknown = null;
  let slot: Buffer | null = null;
  let fill = 0;
  let produced = 0;
  const dispatch = (piece: Buffer, at: number): void => {
    const p: Promise<void> = Promise.all([md5.update(piece), consume(piece, at)])
      .then(
        () => undefined,
        (e) => {
          failure ??= e;
        },
      )
      .finally(() => {
        ctx.ring.release(piece);
        pending.delete(p);
      });
    pending.add(p);
  };
  const settle = async (): Promise<void> => {
    while (pending.size) await Promise.all([...pending]);
  };
  try {
    await pipeline(reader, codec.decompressor(ctx.pool), async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) {
        for (let pos = 0; pos < chunk.length;) {
          if (failure !== null) throw failure;
          slot ??= await ctx.ring.acquire();
          const n = Math.min(chunk.length - pos, slot.length - fill);
          chunk.copy(slot, fill, pos, pos + n);
          fill += n;
          pos += n;
          if (produced + fill > entry.lengthBytes)
            throw RestoreVerificationFailed.objectLength(entry.name, entry.lengthBytes, produced + fill);
          if (fill === slot.length) {
            dispatch(slot, produced);
            produced += fill;
            slot = null;
            fill = 0;
          }
        }
      }
    });
  } catch (e) {
    if (slot) ctx.ring.release(slot);
    await settle();
    if (failure !== null) throw failure;
    if (e instanceof DriverError) throw e;
    throw RestoreVerificationFailed.unreadableObject(entry.name, (e as Error).message);
  }
  const last = slot as Buffer | null;
  if (last && fill > 0 && failure === null) {
    dispatch(last.subarray(0, fill), produced);
    produced += fill;
  } else if (last) ctx.ring.release(last);
  await settle();
  if (failure !== null) throw failure;
  if (produced !== entry.lengthBytes) throw RestoreVerificationFailed.objectLength(entry.name, entry.lengthBytes, produced);
  const actual = await md5.digest();
  if (actual !== entry.md5) throw RestoreVerificationFailed.objectMd5(entry.name, entry.md5, actual);
};
