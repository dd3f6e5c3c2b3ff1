import type { DirectReads } from './direct-reads';
import type { OperationCancelled } from './errors';
import type { BufferRing } from './pool/buffer-ring';
import type { WorkerPool } from './pool/worker-pool';
import { piecesInOrder, throwIfAborted } from './volume-source';

/** Reads in flight at once: enough to keep every worker reading and hashing while the consumer works. */
const READS_AHEAD = 4;

export interface HashedPiece {
  /** A view of a ring buffer; the consumer releases it. */
  readonly piece: Buffer;
  /** Hex SHA-256 of each block of the piece. */
  readonly sha256s: readonly string[];
}

export interface HashedReadContext {
  readonly fd: number;
  /** Direct reads of the same volume, into a ring laid out `aligned`; null or absent reads through `fd`. */
  readonly direct?: DirectReads | null;
  readonly ring: BufferRing;
  readonly pool: WorkerPool;
  readonly blockSizeBytes: number;
  readonly signal?: AbortSignal;
  readonly operation?: OperationCancelled['operation'];
}

/**
 * Reads `[offset, offset + length)` in ring-sized pieces and hashes every block of each on the pool's
 * threads: the bytes never pass through the main thread unless the consumer sends them on. With direct
 * reads the device fills the piece from the I/O pool and a worker only hashes it; otherwise a worker reads
 * it through the page cache and hashes it, as the read-and-hash ceiling does. Pieces come out in order,
 * several reads ahead of the consumer.
 */
export const readHashedPieces = (ctx: HashedReadContext, offset: number, length: number): AsyncGenerator<HashedPiece> =>
  piecesInOrder(
    ctx.ring,
    offset,
    length,
    READS_AHEAD,
    async (piece, position) => ({
      piece,
      sha256s:
        ctx.direct && (await ctx.direct.read(piece, piece.length, position))
          ? await ctx.pool.sha256Blocks(piece, ctx.blockSizeBytes)
          : await ctx.pool.readPiece(ctx.fd, piece, piece.length, position, ctx.blockSizeBytes),
    }),
    ctx.signal,
    ctx.operation,
  );

/** Bytes one worker reads and hashes per call: few enough messages that the main thread stays out of the way. */
const STRETCH_TARGET_BYTES = 8 << 20;
/** Stretches in flight: two per worker keeps each one busy while the next answer travels. */
const STRETCHES_PER_WORKER = 2;

export interface HashedStretch {
  readonly offsetBytes: number;
  readonly lengthBytes: number;
  readonly sha256s: readonly string[];
}

/**
 * The block hashes of `[offset, offset + length)`, in order, stretch by stretch, when nobody needs the
 * bytes themselves (an incremental's scan, a resumed chunk, a restore's final check): each worker reads
 * a stretch through a private buffer, as the read-and-hash ceiling does, and no shared buffer is involved.
 */
export async function* hashStretches(ctx: Omit<HashedReadContext, 'ring'>, offset: number, length: number): AsyncGenerator<HashedStretch> {
  const { pool, blockSizeBytes } = ctx;
  const stretchBytes = Math.max(1, Math.floor(STRETCH_TARGET_BYTES / blockSizeBytes)) * blockSizeBytes;
  const end = offset + length;
  let next = offset;
  const ahead: { offsetBytes: number; lengthBytes: number; hashes: Promise<string[]> }[] = [];
  try {
    for (;;) {
      throwIfAborted(ctx.signal, ctx.operation ?? 'backup');
      while (ahead.length < STRETCHES_PER_WORKER * pool.size && next < end) {
        const lengthBytes = Math.min(stretchBytes, end - next);
        const hashes = pool.hashFileRange(ctx.fd, next, lengthBytes, blockSizeBytes);
        hashes.catch(() => undefined);
        ahead.push({ offsetBytes: next, lengthBytes, hashes });
        next += lengthBytes;
      }
      const stretch = ahead.shift();
      if (!stretch) return;
      yield { offsetBytes: stretch.offsetBytes, lengthBytes: stretch.lengthBytes, sha256s: await stretch.hashes };
    }
  } finally {
    // The workers may still be reading the file: let them finish before the caller closes it.
    await Promise.allSettled(ahead.splice(0).map((s) => s.hashes));
  }
}
