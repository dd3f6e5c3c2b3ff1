import { hash as digestOf } from 'node:crypto';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { codecNamed } from './codecs/codec-registry';
import { openCompressionStage, write } from './compression-stage';
import type { ResolvedDriverOptions } from './driver-options';
import type { WrittenObject } from './metadata-file';
import type { BufferRing } from './pool/buffer-ring';
import type { WorkerPool } from './pool/worker-pool';
import type { BackupRepository } from './repository.port';
import { hashStretches, readHashedPieces } from './hashed-reads';
import { readExactly } from './read-exactly';
import { readPieces, throwIfAborted, type VolumeSource } from './volume-source';

/** What writing one object needs; shared by every object of a run. */
export interface ObjectWriteContext {
  readonly repository: BackupRepository;
  readonly container: string;
  readonly source: VolumeSource;
  readonly ring: BufferRing;
  readonly pool: WorkerPool;
  /** The run's output buffers, for a codec that compresses into them (zstd). */
  readonly outputRing?: BufferRing;
  readonly options: ResolvedDriverOptions;
  readonly signal?: AbortSignal;
  /** Called for every piece read while hashing blocks (the scan's progress). */
  readonly onScanned?: (bytes: number) => void;
}

export interface ObjectJob {
  readonly name: string;
  readonly offsetBytes: number;
  readonly lengthBytes: number;
  /** Also compute the SHA-256 of each block (a full backup hashes while it writes). */
  readonly hashBlocks: boolean;
}

export interface ObjectResult {
  readonly object: WrittenObject;
  readonly storedBytes: number;
  readonly sha256s: string[];
}

/** Tracks the per-piece work in flight; the first failure stops the feeding loop. */
class PieceWork {
  private readonly pending = new Set<Promise<void>>();
  private failure: unknown = null;

  add(work: Promise<unknown>, release: () => void): void {
    const p: Promise<void> = work
      .then(
        () => undefined,
        (e) => {
          this.failure ??= e;
        },
      )
      .finally(() => {
        release();
        this.pending.delete(p);
      });
    this.pending.add(p);
  }
  throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    this.throwIfFailed();
  }
}

/**
 * Collects compressed output for a small object into one buffer of the object's size, giving up once the
 * output is no smaller than the input. It copies each chunk as it comes: a writer may not hold a chunk
 * past its write callback.
 */
class ShrinkCollector extends Writable {
  private readonly buffer: Buffer;
  private bytes = 0;
  constructor(private readonly limit: number) {
    super();
    this.buffer = Buffer.allocUnsafe(limit);
  }
  override _write(chunk: Buffer, _e: BufferEncoding, done: () => void): void {
    if (this.bytes + chunk.length < this.limit) chunk.copy(this.buffer, this.bytes);
    this.bytes += chunk.length;
    done();
  }
  /** The compressed object; only while it is smaller than the input. */
  get output(): Buffer {
    if (this.bytes >= this.limit) throw new Error('the compressed object did not shrink');
    return this.buffer.subarray(0, this.bytes);
  }
}

/** Re-reads the object's range and stores it raw: Cinder's rule for data that compression does not shrink. */
const writeRaw = async (ctx: ObjectWriteContext, job: ObjectJob): Promise<void> => {
  const writer = await ctx.repository.openWriter(ctx.container, job.name);
  const work = new PieceWork();
  try {
    for await (const piece of readPieces(ctx.source.handle, ctx.ring, job.offsetBytes, job.lengthBytes, ctx.signal)) {
      work.add(write(writer, piece), () => ctx.ring.release(piece));
      work.throwIfFailed();
    }
    await work.settle();
    writer.end();
    await finished(writer);
  } catch (e) {
    writer.destroy();
    await work.settle().catch(() => undefined);
    throw e;
  }
};

/**
 * Objects up to this size are read as one piece and compressed in one call: an incremental writes
 * hundreds of them, and a stream, a pipeline and worker round trips per object cost more than the work.
 */
const WHOLE_OBJECT_MAX_BYTES = 256 << 10;

/**
 * A whole object of at most one piece, read into a ring buffer (hashed on a worker when the job asks).
 * `room`: the rest of that buffer, where the stored form can go.
 */
const readWhole = async (ctx: ObjectWriteContext, job: ObjectJob): Promise<{ piece: Buffer; room: Buffer; sha256s: readonly string[] }> => {
  throwIfAborted(ctx.signal, 'backup');
  const buffer = await ctx.ring.acquire();
  const piece = buffer.subarray(0, job.lengthBytes);
  const room = buffer.subarray(job.lengthBytes);
  try {
    if (!job.hashBlocks) {
      await readExactly(ctx.source.handle, piece, piece.length, job.offsetBytes);
      return { piece, room, sha256s: [] };
    }
    return {
      piece,
      room,
      sha256s: await ctx.pool.readPiece(ctx.source.handle.fd, piece, piece.length, job.offsetBytes, ctx.options.shaBlockSizeBytes),
    };
  } catch (e) {
    ctx.ring.release(buffer);
    throw e;
  }
};

/** One piece, read once, md5'd and compressed whole, written once (raw when compression did not shrink it). */
const writeWholeObject = async (
  ctx: ObjectWriteContext,
  job: ObjectJob,
  compressWhole: ((data: Buffer, level: number, room?: Buffer) => Promise<Buffer>) | null,
): Promise<ObjectResult> => {
  const { options } = ctx;
  const { piece, room, sha256s } = await readWhole(ctx, job);
  try {
    const md5 = digestOf('md5', piece, 'hex');
    // Compressed beside the piece, in the same shared buffer: it goes to the writer thread by reference
    // (a fresh Buffer per object, cloned again by postMessage, was most of the main thread's work for the
    // 322 objects of a 1% incremental). The buffer goes back to the ring only once the object is written.
    const compressed = compressWhole ? await compressWhole(piece, options.compressionLevel, room) : null;
    const shrank = compressed !== null && compressed.length < piece.length;
    await ctx.repository.putObject(ctx.container, job.name, shrank ? compressed : piece);
    if (job.hashBlocks) ctx.onScanned?.(piece.length);
    return {
      object: {
        name: job.name,
        offsetBytes: job.offsetBytes,
        lengthBytes: job.lengthBytes,
        compression: shrank ? options.recordedCompression : 'none',
        md5,
      },
      storedBytes: shrank ? compressed.length : piece.length,
      sha256s: [...sha256s],
    };
  } finally {
    ctx.ring.release(piece);
  }
};

/**
 * Streams one object: pieces are read into shared buffers, md5'd (and block-hashed) on the pool, and
 * compressed into the repository with back-pressure. Objects up to `bufferedObjectMaxBytes` are compressed
 * into memory first; larger ones stream and are rewritten raw if they did not shrink.
 */
export const writeObject = async (ctx: ObjectWriteContext, job: ObjectJob): Promise<ObjectResult> => {
  const { options, pool, ring } = ctx;
  const compress = options.codec !== 'none';
  const compressWhole = compress ? (codecNamed(options.codec).compressWhole ?? null) : null;
  if (job.lengthBytes <= Math.min(WHOLE_OBJECT_MAX_BYTES, ring.sizeBytes) && (compressWhole || !compress))
    return writeWholeObject(ctx, job, compressWhole);
  const buffered = compress && job.lengthBytes <= options.bufferedObjectMaxBytes;
  const sink = buffered ? new ShrinkCollector(job.lengthBytes) : await ctx.repository.openWriter(ctx.container, job.name);
  const stage = await openCompressionStage(
    compress ? codecNamed(options.codec) : null,
    {
      level: options.compressionLevel,
      sizeBytes: job.lengthBytes,
      pool,
      output: ctx.outputRing,
    },
    sink,
  );
  const md5 = pool.openMd5(job.lengthBytes);
  const sha256s: string[] = [];
  const work = new PieceWork();
  let storedBytes: number;
  try {
    for await (const { piece, sha256s: hashes } of piecesOf(ctx, job)) {
      for (const h of hashes) sha256s.push(h);
      work.add(Promise.all([md5.update(piece), stage.feed(piece)]), () => ring.release(piece));
      if (job.hashBlocks) ctx.onScanned?.(piece.length);
      work.throwIfFailed();
    }
    await work.settle();
    storedBytes = await stage.finish();
  } catch (e) {
    stage.destroy();
    md5.drop();
    await work.settle().catch(() => undefined);
    throw e;
  }
  const md5Hex = await md5.digest();
  const shrank = compress && storedBytes < job.lengthBytes;
  if (compress && !shrank) await writeRaw(ctx, job);
  else if (sink instanceof ShrinkCollector) await ctx.repository.putObject(ctx.container, job.name, sink.output);
  return {
    object: {
      name: job.name,
      offsetBytes: job.offsetBytes,
      lengthBytes: job.lengthBytes,
      compression: shrank ? options.recordedCompression : 'none',
      md5: md5Hex,
    },
    storedBytes: shrank ? storedBytes : job.lengthBytes,
    sha256s,
  };
};

const hashedReadContext = (ctx: ObjectWriteContext) => ({
  fd: ctx.source.handle.fd,
  direct: ctx.ring.layout === 'aligned' ? ctx.source.direct : null,
  ring: ctx.ring,
  pool: ctx.pool,
  blockSizeBytes: ctx.options.shaBlockSizeBytes,
  signal: ctx.signal,
});

/** The job's pieces, with their block hashes when the job asks for them (read and hashed on the pool). */
async function* piecesOf(ctx: ObjectWriteContext, job: ObjectJob): AsyncGenerator<{ piece: Buffer; sha256s: readonly string[] }> {
  if (job.hashBlocks) {
    yield* readHashedPieces(hashedReadContext(ctx), job.offsetBytes, job.lengthBytes);
    return;
  }
  for await (const piece of readPieces(ctx.source.handle, ctx.ring, job.offsetBytes, job.lengthBytes, ctx.signal))
    yield { piece, sha256s: [] };
}

/** Block hashes of a range without writing anything (resumed chunks). */
export const hashRange = async (ctx: ObjectWriteContext, offsetBytes: number, lengthBytes: number): Promise<string[]> => {
  const sha256s: string[] = [];
  for await (const stretch of hashStretches(hashedReadContext(ctx), offsetBytes, lengthBytes)) {
    for (const h of stretch.sha256s) sha256s.push(h);
    ctx.onScanned?.(stretch.lengthBytes);
  }
  return sha256s;
};
