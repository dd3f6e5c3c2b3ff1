import { constants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { BackupLocation } from './backup-files';
import { BackgroundWriteback } from './background-writeback';
import { DirectWrites } from './direct-writes';
import { isAllZero } from './block-hash';
import { type ChainMember, loadChain } from './backup-chain';
import { RestoreTargetTooSmall, RestoreVerificationFailed } from './errors';
import { hashStretches } from './hashed-reads';
import type { WrittenObject } from './metadata-file';
import { readObject } from './object-reader';
import { inOrderWindow } from './ordered-window';
import { BufferRing } from './pool/buffer-ring';
import { withPool, type WorkerPool } from './pool/worker-pool';
import type { BackupRepository } from './repository.port';
import { throwIfAborted } from './volume-source';
import { dataExtentsOf } from './target-extents';
import { TargetZeros } from './target-zeros';
import { WrittenHashes } from './written-hashes';

/** Cinder's sparse restore works in 1 MiB pieces counted from each object's start. */
export const SPARSE_PIECE_BYTES = 1 << 20;
/**
 * What a restore reads an object in: several sparse pieces, so that a stretch of data costs one round
 * trip to the decompressing thread, one to a hashing thread and one write, not one each per MiB. The
 * 1 GiB bench image's chain onto an existing volume, the engine alone, alternating builds: 1.31–1.98 s
 * against 1.51–2.09 s in 1 MiB pieces (ten each). Each is still judged zero or not a sparse piece at a
 * time (`sparseRuns`).
 */
const READ_PIECE_BYTES = 4 * SPARSE_PIECE_BYTES;
/** Room for OBJECTS_IN_FLIGHT objects' pieces and two more being handled. */
const RING_BUFFERS = 6;

/**
 * The ring of a restore that wrote and verified everything, kept for the next restore of the process. A new 24 MiB ring
 * per restore stayed in the service's RSS as garbage beside the next one's until V8 collected it: the
 * bench's two restores a trial took a service from 250 to 273 MB (zlib, 20 ms samples, 2026-12-07).
 */
let spareRing: BufferRing | null = null;
const takeRing = (): BufferRing => {
  const ring = spareRing ?? new BufferRing(RING_BUFFERS, READ_PIECE_BYTES);
  spareRing = null;
  return ring;
};
/** Only a ring whose every buffer is back, once the restore has nothing left to do with it. */
const keepRing = (ring: BufferRing): void => {
  if (ring.idle) spareRing = ring;
};
/**
 * Objects of one backup restored at once. Each holds at most one ring buffer while it decompresses, so
 * this stays below RING_BUFFERS. A 1% incremental's 322 small objects took 0.55–0.93 s one by one.
 */
const OBJECTS_IN_FLIGHT = 4;
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
   * `isNew`: the target holds nothing yet, so the full backup's all-zero pieces are skipped and left as
   * holes. Elsewhere (an incremental's pieces, an existing target) an all-zero piece is written only where
   * the target does not read as zeros already.
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

interface SparseRun {
  /** Where the run starts in its piece. */
  readonly at: number;
  readonly bytes: Buffer;
  readonly zero: boolean;
}

/** `piece` cut into Cinder's 1 MiB sparse pieces: each all-zero one alone, neighbours with data joined. */
const sparseRuns = (piece: Buffer): SparseRun[] => {
  const runs: SparseRun[] = [];
  for (let at = 0; at < piece.length; at += SPARSE_PIECE_BYTES) {
    const bytes = piece.subarray(at, at + SPARSE_PIECE_BYTES);
    const zero = isAllZero(bytes);
    const last = runs[runs.length - 1];
    if (!zero && last && !last.zero) runs[runs.length - 1] = { ...last, bytes: piece.subarray(last.at, at + bytes.length) };
    else runs.push({ at, bytes, zero });
  }
  return runs;
};

/** Whether no two objects cover the same bytes (they may be in any order). */
const disjoint = (objects: readonly WrittenObject[]): boolean => {
  const sorted = [...objects].sort((a, b) => a.offsetBytes - b.offsetBytes);
  return sorted.every(
    (o, k) => k === 0 || (sorted[k - 1] as WrittenObject).offsetBytes + (sorted[k - 1] as WrittenObject).lengthBytes <= o.offsetBytes,
  );
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
  // The target's whole pages go through O_DIRECT where its file system takes it (`direct-writes.ts`).
  let direct: DirectWrites | null = null;
  try {
    const limitBytes = target.fixedSize ? await sizeLimitOf(handle) : Infinity;
    if (chain.regionBytes > limitBytes) throw new RestoreTargetTooSmall(target.path, limitBytes, chain.regionBytes);
    direct = await DirectWrites.open(target.path);
    return await withPool(args.pool, args.workers ?? 2, async (pool) => {
      const ring = takeRing();
      const written = new WrittenHashes(pool, chain.regionBytes, chain.sha.blockSizeBytes);
      const writeback = new BackgroundWriteback(handle);
      let bytesWritten = 0;
      let bytesDone = 0;
      let objectsDone = 0;
      let checkpointed = 0;
      let checkpointedAt = Date.now();
      const writePiece = async (piece: Buffer, offset: number): Promise<void> => {
        // The length an object decompresses to is checked only at its end: no piece may go past the target.
        const end = offset + piece.length;
        if (end > limitBytes) throw new RestoreTargetTooSmall(target.path, limitBytes, end);
        zeros.wrote(offset, piece.length);
        if (!(await direct?.write(piece, offset))) {
          await writeAt(handle, piece, offset);
          writeback.wrote(piece.length);
        }
        bytesWritten += piece.length;
      };
      // Where the target holds no data yet, its zero pieces need no look (taken before any write).
      const dataAtStart = target.isNew && chain.members.length === 1 ? null : dataExtentsOf(handle.fd, chain.regionBytes);
      const zeros = new TargetZeros(handle, SPARSE_PIECE_BYTES, writePiece, dataAtStart, chain.regionBytes);
      /** `holes`: the target reads as zeros wherever this object goes (the chain's first backup on a new target). */
      const restoreObject = async (member: ChainMember, entry: WrittenObject, holes: boolean): Promise<void> => {
        throwIfAborted(signal, 'restore');
        const zeroChecks: Promise<void>[] = [];
        const restoreRun = async ({ bytes, zero }: SparseRun, offset: number): Promise<void> => {
          if (!zero) await writePiece(bytes, offset);
          else if (!holes) {
            const check = zeros.ensure(offset, bytes.length);
            check.catch(() => undefined); // settled below, after the read
            zeroChecks.push(check);
          }
        };
        const read = readObject(
          { repository: member.repository ?? repository, pool, ring },
          member.container,
          entry,
          async (piece, at) => {
            const offset = entry.offsetBytes + at;
            const runs = sparseRuns(piece);
            // The piece is hashed whole, one round trip (a zero block's hash comes from a cache there).
            const hashed = written.record(
              offset,
              piece,
              runs.every((run) => run.zero),
            );
            // Everything is done with the piece's buffer before it goes back to the ring, even after a failure.
            const outcomes = await Promise.allSettled([hashed, ...runs.map((run) => restoreRun(run, offset + run.at))]);
            for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
          },
          { checkMd5: false },
        );
        // The zero checks settle before the object counts as written, and before a later backup of the
        // chain writes over it; the object's own failure comes first. (Every check is queued once the read ends.)
        const [object] = await Promise.allSettled([read]);
        const checks = await Promise.allSettled(zeroChecks);
        for (const outcome of [object, ...checks]) if (outcome?.status === 'rejected') throw outcome.reason;
      };
      /**
       * The checkpoint being taken, beside the restore: the objects it names were written before its fsync
       * began, so they are durable once it ends, and the objects after them go on being written meanwhile
       * (waiting for it held the next backup of a chain behind the fsync of the one before, 50–100 ms of a
       * 1 GiB restore). One at a time, in order: a checkpoint due while one is in flight waits for it.
       */
      let checkpointing = null as Promise<void> | null;
      const objectDone = async (entry: WrittenObject): Promise<void> => {
        throwIfAborted(signal, 'restore');
        bytesDone += entry.lengthBytes;
        objectsDone++;
        args.onProgress?.({ bytesDone, bytesTotal: chain.totalObjectBytes, objectsDone });
        const due =
          bytesDone - checkpointed >= (args.checkpointEveryBytes ?? RESTORE_CHECKPOINT_BYTES) ||
          Date.now() - checkpointedAt >= (args.checkpointEveryMs ?? RESTORE_CHECKPOINT_MS);
        const onCheckpoint = args.onCheckpoint;
        if (onCheckpoint && due) {
          // A failed checkpoint fails the restore here, or at the end.
          await checkpointing;
          const checkpoint = { objectsDone, bytesDone, bytesTotal: chain.totalObjectBytes };
          checkpointed = bytesDone;
          checkpointedAt = Date.now();
          const taking = (async () => {
            await writeback.settle();
            await handle.sync();
            await onCheckpoint(checkpoint);
          })();
          checkpointing = taking;
          // Settled by the next checkpoint or the end of the restore, whichever comes first.
          taking.catch(() => undefined);
        }
      };
      /** Every member's objects, base first, after the `skip` objects a resumed run finds written. */
      const restoreMembers = async (skip: number): Promise<void> => {
        for (const [index, member] of chain.members.entries()) {
          // A new target's zero pieces are left as holes, but only the first backup's: an incremental's zeros
          // may go where the backup before it wrote data (a discarded region), so from then on a zero piece
          // is written wherever the target does not read as zeros, as on an existing target. (Skipping
          // them all restored the old data there, and recorded the zero blocks' hashes as written.)
          const holes = target.isNew && index === 0;
          // A resumed restore's first objects were written and checkpointed by the run before.
          const resumed = member.metadata.objects.slice(0, Math.max(0, skip - objectsDone));
          for (const entry of resumed) bytesDone += entry.lengthBytes;
          objectsDone += resumed.length;
          if (resumed.length > 0) checkpointed = bytesDone;
          const objects = member.metadata.objects.slice(resumed.length);
          // A member's objects are restored several at a time (an incremental is mostly small objects, each
          // a few round trips to the pool); the members themselves stay in order, each one's writes over
          // the last. Objects that overlap, which no driver writes, go one at a time, in their order.
          const width = disjoint(objects) ? OBJECTS_IN_FLIGHT : 1;
          await inOrderWindow(objects, width, (entry) => restoreObject(member, entry, holes), objectDone);
        }
      };
      const skip = args.resume?.objectsDone ?? 0;
      try {
        await restoreMembers(skip);
      } catch (error) {
        // No checkpoint outlives a restore that failed: it would be recorded after the failure.
        await checkpointing?.catch(() => undefined);
        throw error;
      }
      await checkpointing;
      const stat = await handle.stat();
      if (!target.fixedSize && stat.isFile() && stat.size < chain.regionBytes) await handle.truncate(chain.regionBytes);
      await writeback.settle();
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
      // Only now: a failed verification still reads the backup's objects through this ring (`checkObjectOf`),
      // and a restore running beside this one could otherwise have taken it meanwhile.
      keepRing(ring);
      return { bytesWritten, volumeMetas: chain.members.map((m) => m.metadata.volumeMeta) };
    });
  } finally {
    await direct?.close();
    await handle.close();
  }
};
