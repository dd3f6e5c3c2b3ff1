import { constants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { BackupLocation } from './backup-files';
import { isAllZero } from './block-hash';
import { loadChain } from './backup-chain';
import { RestoreTargetTooSmall, RestoreVerificationFailed } from './errors';
import { hashStretches } from './hashed-reads';
import { readObject } from './object-reader';
import { BufferRing } from './pool/buffer-ring';
import { withPool, type WorkerPool } from './pool/worker-pool';
import type { BackupRepository } from './repository.port';
import { throwIfAborted } from './volume-source';
import { WrittenHashes } from './written-hashes';

/** Cinder's sparse restore works in 1 MiB pieces counted from each object's start. */
export const SPARSE_PIECE_BYTES = 1 << 20;
const RING_BUFFERS = 8;
/** A checkpoint (fsync, then `onCheckpoint`) after at least this many bytes of objects… */
export const RESTORE_CHECKPOINT_BYTES = 32 * 1024 * 1024;
/** …or after this long with at least one new object, so progress shows live even with large objects. */
export const RESTORE_CHECKPOINT_MS = 2_000;

export interface RestoreProgress {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly objectsDone: number;
}

/** How far a restore has got: the first `objectsDone` objects of the chain (base first) are durable. */
export interface RestoreCheckpoint {
  readonly objectsDone: number;
  readonly bytesDone: number;
  /** The bytes of every object of the chain: what `bytesDone` grows to. */
  readonly bytesTotal?: number;
}

export interface RunRestoreArgs {
  readonly repository: BackupRepository;
  /** The full backup first, then each incremental in order; the last is the one restored. */
  readonly chain: readonly BackupLocation[];
  /**
   * `isNew`: the target holds nothing yet, so all-zero pieces are skipped and left as holes. On an
   * existing target an all-zero piece is written only where the target does not read as zeros already.
   * `fixedSize`: the target is an existing file or device whose size is not the restore's to change
   * (a volume, managed or not): it is never created or extended, and a backup larger than a regular
   * file fails with RestoreTargetTooSmall before anything is written. (A block device cannot grow:
   * the kernel refuses a write past its end.) Without it the target is created or grown to the backup.
   */
  readonly target: { readonly path: string; readonly isNew: boolean; readonly fixedSize?: boolean };
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: RestoreProgress) => void;
  /** Awaited after the target was fsync'ed with every object so far: the place to record progress. */
  readonly onCheckpoint?: (c: RestoreCheckpoint) => Promise<void> | void;
  /** A crashed run's last checkpoint: its objects are not written again (the final check re-hashes them all). */
  readonly resume?: RestoreCheckpoint;
  /** Bytes of objects between two checkpoints; RESTORE_CHECKPOINT_BYTES by default. */
  readonly checkpointEveryBytes?: number;
  /** Milliseconds after which a checkpoint is taken anyway when an object was written; RESTORE_CHECKPOINT_MS by default. */
  readonly checkpointEveryMs?: number;
  readonly workers?: number;
  readonly pool?: WorkerPool;
}

/** Whether `length` bytes of the target at `position` read as zeros already (a hole reads without I/O). */
const readsAsZero = async (handle: FileHandle, scratch: Buffer, length: number, position: number): Promise<boolean> => {
  const view = scratch.subarray(0, length);
  for (let done = 0; done < length;) {
    const { bytesRead } = await handle.read(view, done, length - done, position + done);
    if (bytesRead === 0) return false;
    done += bytesRead;
  }
  return isAllZero(view);
};

const writeAt = async (handle: FileHandle, piece: Buffer, position: number): Promise<void> => {
  for (let done = 0; done < piece.length;) done += (await handle.write(piece, done, piece.length - done, position + done)).bytesWritten;
};

/** A regular file ends at its size; a block device's end is the kernel's to enforce (stat says 0 there). */
const sizeLimitOf = async (handle: FileHandle): Promise<number> => {
  const stat = await handle.stat();
  return stat.isFile() ? stat.size : Infinity;
};

/** Hashes what is now on the target and compares it with the requested backup's block list. */
export const verifyBlocks = async (
  handle: FileHandle,
  pool: WorkerPool,
  regionBytes: number,
  blockSizeBytes: number,
  expected: readonly string[],
  signal: AbortSignal | undefined,
  operation: 'restore' | 'verify',
): Promise<void> => {
  const blocks = Math.ceil(regionBytes / blockSizeBytes);
  if (blocks !== expected.length) throw RestoreVerificationFailed.blockCount(expected.length, blocks);
  const actual: string[] = [];
  for await (const stretch of hashStretches({ fd: handle.fd, pool, blockSizeBytes, signal, operation }, 0, regionBytes))
    for (const h of stretch.sha256s) actual.push(h);
  compareBlocks(expected, actual);
};

/**
 * After a block failed its check: reads the object that last wrote `byteOffset` again, checking its
 * md5, so a damaged object is named as such (the fast path hashes blocks only). Returns when that
 * object is sound: the block's own error stands.
 */
const checkObjectOf = async (
  chain: Awaited<ReturnType<typeof loadChain>>,
  repository: BackupRepository,
  pool: WorkerPool,
  ring: BufferRing,
  byteOffset: number,
): Promise<void> => {
  for (const member of [...chain.members].reverse()) {
    const entry = member.metadata.objects.find((o) => o.offsetBytes <= byteOffset && byteOffset < o.offsetBytes + o.lengthBytes);
    if (!entry) continue;
    await readObject({ repository: member.repository ?? repository, pool, ring }, member.container, entry, () => Promise.resolve());
    return;
  }
};

/** Fails on the first block whose hash is not the recorded one. */
const compareBlocks = (expected: readonly string[], actual: readonly string[]): void => {
  if (actual.length !== expected.length) throw RestoreVerificationFailed.blockCount(expected.length, actual.length);
  const bad = actual.findIndex((h, k) => h !== expected[k]);
  if (bad >= 0) throw RestoreVerificationFailed.block(bad, expected[bad] as string, actual[bad] as string);
};

/**
 * Restores the last backup of `chain` onto `target`: each object is written at its offset (all-zero
 * 1 MiB pieces skipped for a new target), then the target is fsync'ed and every block checked against
 * the requested backup's `_sha256file`. The blocks are hashed as they are written, beside the write (the
 * target is the restore's alone while it runs); a resumed restore, whose earlier objects were written by
 * another run, re-reads the target instead. Since every restored byte is checked by its block's hash,
 * an object's md5 is not computed on the way (on one thread, md5 was the restore's slowest stage); it is
 * checked only after a block failed, to name the damaged object. Every RESTORE_CHECKPOINT_BYTES the
 * target is fsync'ed and `onCheckpoint` told, so a crashed restore resumes after the last checkpoint.
 * `volumeMetas`: each member's saved `volume_meta` (base first), which a restore applies as Cinder's does.
 */
export const runRestore = async (args: RunRestoreArgs): Promise<{ bytesWritten: number; volumeMetas: (string | null)[] }> => {
  const { repository, target, signal } = args;
  const chain = await loadChain(repository, args.chain);
  const handle = await fsp.open(target.path, target.fixedSize ? constants.O_RDWR : constants.O_RDWR | constants.O_CREAT, 0o660);
  try {
    const limitBytes = target.fixedSize ? await sizeLimitOf(handle) : Infinity;
    if (chain.regionBytes > limitBytes) throw new RestoreTargetTooSmall(target.path, limitBytes, chain.regionBytes);
    return await withPool(args.pool, args.workers ?? 2, async (pool) => {
      const ring = new BufferRing(RING_BUFFERS, SPARSE_PIECE_BYTES);
      const written = new WrittenHashes(pool, chain.regionBytes, chain.sha.blockSizeBytes);
      // An existing target's zero pieces are read first: where it already holds zeros (a new volume's
      // holes) nothing is written, which spares the disk and keeps the volume thin.
      const scratch = target.isNew ? null : new BufferRing(RING_BUFFERS, SPARSE_PIECE_BYTES);
      const alreadyZero = async (offset: number, length: number): Promise<boolean> => {
        if (!scratch) return true;
        const buffer = await scratch.acquire();
        try {
          return await readsAsZero(handle, buffer, length, offset);
        } finally {
          scratch.release(buffer);
        }
      };
      let bytesWritten = 0;
      let bytesDone = 0;
      let objectsDone = 0;
      let checkpointed = 0;
      let checkpointedAt = Date.now();
      const skip = args.resume?.objectsDone ?? 0;
      for (const member of chain.members) {
        for (const entry of member.metadata.objects) {
          if (objectsDone < skip) {
            objectsDone++;
            bytesDone += entry.lengthBytes;
            checkpointed = bytesDone;
            continue;
          }
          throwIfAborted(signal, 'restore');
          await readObject(
            { repository: member.repository ?? repository, pool, ring },
            member.container,
            entry,
            async (piece, at) => {
              const offset = entry.offsetBytes + at;
              const zero = isAllZero(piece);
              const hashed = written.record(offset, piece, zero);
              hashed.catch(() => undefined); // awaited below; a failed write must not leave it unhandled
              if (!(zero && (await alreadyZero(offset, piece.length)))) {
                // The length an object decompresses to is checked only at its end: no piece may go past the target.
                const end = offset + piece.length;
                if (end > limitBytes) throw new RestoreTargetTooSmall(target.path, limitBytes, end);
                await writeAt(handle, piece, offset);
                bytesWritten += piece.length;
              }
              await hashed;
            },
            { checkMd5: false },
          );
          bytesDone += entry.lengthBytes;
          objectsDone++;
          args.onProgress?.({ bytesDone, bytesTotal: chain.totalObjectBytes, objectsDone });
          const due =
            bytesDone - checkpointed >= (args.checkpointEveryBytes ?? RESTORE_CHECKPOINT_BYTES) ||
            Date.now() - checkpointedAt >= (args.checkpointEveryMs ?? RESTORE_CHECKPOINT_MS);
          if (args.onCheckpoint && due) {
            await handle.sync();
            await args.onCheckpoint({ objectsDone, bytesDone, bytesTotal: chain.totalObjectBytes });
            checkpointed = bytesDone;
            checkpointedAt = Date.now();
          }
        }
      }
      const stat = await handle.stat();
      if (!target.fixedSize && stat.isFile() && stat.size < chain.regionBytes) await handle.truncate(chain.regionBytes);
      await handle.sync();
      const hashes = skip === 0 ? written.final() : null;
      try {
        if (hashes) compareBlocks(chain.sha.sha256s, hashes);
        else await verifyBlocks(handle, pool, chain.regionBytes, chain.sha.blockSizeBytes, chain.sha.sha256s, signal, 'restore');
      } catch (error) {
        if (error instanceof RestoreVerificationFailed && error.blockIndex !== null)
          await checkObjectOf(chain, repository, pool, ring, error.blockIndex * chain.sha.blockSizeBytes);
        throw error;
      }
      return { bytesWritten, volumeMetas: chain.members.map((m) => m.metadata.volumeMeta) };
    });
  } finally {
    await handle.close();
  }
};
