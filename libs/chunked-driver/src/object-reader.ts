import { pipeline } from 'node:stream/promises';
import type { Codec, IntoDecompressor } from './codecs/codec';
import { codecForRecorded } from './codecs/codec-registry';
import { alignedSharedMemory } from './direct-io';
import { DriverError, RestoreVerificationFailed } from './errors';
import type { WrittenObject } from './metadata-file';
import type { BufferRing } from './pool/buffer-ring';
import type { WorkerPool } from './pool/worker-pool';
import { openObjectBytes } from './object-bytes';
import type { BackupRepository, ByteReader } from './repository.port';

export interface ObjectReadContext {
  readonly repository: BackupRepository;
  readonly pool: WorkerPool;
  /** Its buffer size is the piece size handed to `consume`. */
  readonly ring: BufferRing;
}

type Consume = (piece: Buffer, offsetInObject: number) => Promise<void>;

/** The md5 of a read whose caller checks every byte itself: nothing is hashed. */
const NO_MD5 = {
  update: (): Promise<void> => Promise.resolve(),
  digest: (): Promise<string | null> => Promise.resolve(null),
  drop: (): void => undefined,
};

/**
 * Compressed bytes gathered before a step of an `into` decompressor: fewer round trips to its worker.
 * As large as a restore's pieces, so that bytes that hardly compress (random data) also take one step
 * per piece.
 */
const STAGE_BYTES = 4 << 20;

/**
 * Objects up to this length (an incremental's changed runs, mostly 32 KiB) are read whole and
 * decompressed on the calling thread where the codec can (`decompressWhole`): a 1% incremental of a
 * 1 GiB volume is 322 of them, and a stream and several worker round trips each took about 1.3 ms.
 */
const WHOLE_OBJECT_MAX_BYTES = 256 << 10;

/**
 * Reads one object, decompressing it by its own `compression`, and hands its uncompressed bytes to
 * `consume` in ring-sized pieces counted from the object's start. Checks the length and, unless
 * `checkMd5` is false (a caller that checks every byte against the block hashes itself), the md5 that
 * `_metadata` recorded; an undecodable or wrong object fails naming it. A small object is read whole and
 * decompressed here where its codec can; otherwise a codec that can decompress into the ring's buffers
 * does so (zstd; zlib where ISA-L's add-on is built), and the others go through their decompressing stream.
 */
export const readObject = async (
  ctx: ObjectReadContext,
  container: string,
  entry: WrittenObject,
  consume: Consume,
  { checkMd5 = true }: { readonly checkMd5?: boolean } = {},
): Promise<void> => {
  const codec = codecForRecorded(entry.compression);
  const whole = codec.decompressWhole;
  const md5 = checkMd5 ? ctx.pool.openMd5(entry.lengthBytes) : NO_MD5;
  const handle = (piece: Buffer, at: number) => Promise.all([md5.update(piece), consume(piece, at)]);
  try {
    if (whole && entry.lengthBytes <= Math.min(WHOLE_OBJECT_MAX_BYTES, ctx.ring.sizeBytes - 1))
      await readWhole(await openObjectBytes(ctx.repository, container, entry.name), whole, ctx.ring, entry, handle);
    else await readPieces(ctx, container, codec, entry, handle);
  } catch (e) {
    md5.drop();
    throw e;
  }
  const actual = await md5.digest();
  if (actual !== null && actual !== entry.md5) throw RestoreVerificationFailed.objectMd5(entry.name, entry.md5, actual);
};

/** Through the codec's decompressor, a ring-sized piece at a time; see readObject. */
const readPieces = async (
  ctx: ObjectReadContext,
  container: string,
  codec: Codec,
  entry: WrittenObject,
  handle: (piece: Buffer, at: number) => Promise<unknown>,
): Promise<void> => {
  const pieces = new PieceAssembler(ctx.ring, entry, handle);
  try {
    const into = codec.intoDecompressor?.(ctx.pool);
    if (into) await decompressInto(() => openObjectBytes(ctx.repository, container, entry.name), await into, pieces);
    else
      await pipeline(
        await ctx.repository.openReader(container, entry.name),
        codec.decompressor(ctx.pool),
        async (chunks: AsyncIterable<Buffer>) => {
          for await (const chunk of chunks) await pieces.append(chunk);
        },
      );
  } catch (e) {
    await pieces.abandon();
    if (e instanceof DriverError) throw e; // a missing object among them
    throw RestoreVerificationFailed.unreadableObject(entry.name, (e as Error).message);
  }
  await pieces.finish();
};

/**
 * A small object read whole, decompressed into one ring buffer on this thread, and handed on as one
 * piece. A stored form longer than any compression of the recorded length is refused unread to the end.
 */
const readWhole = async (
  bytes: ByteReader,
  decompress: (stored: Buffer, out: Buffer) => number,
  ring: BufferRing,
  entry: WrittenObject,
  handle: (piece: Buffer, at: number) => Promise<unknown>,
): Promise<void> => {
  const most = 2 * entry.lengthBytes + 4096;
  const out = await ring.acquire();
  try {
    let produced: number;
    try {
      // One byte of room past the most it may take tells "too long"; likewise past the recorded length.
      const stored = Buffer.allocUnsafe(most + 1);
      let length = 0;
      for (let n = -1; n !== 0 && length <= most; length += n) n = await bytes.read(stored.subarray(length));
      if (length > most) throw new Error(`stored as more than ${most} bytes, more than ${entry.lengthBytes} bytes compress to`);
      produced = decompress(stored.subarray(0, length), out.subarray(0, entry.lengthBytes + 1));
    } catch (e) {
      throw RestoreVerificationFailed.unreadableObject(entry.name, (e as Error).message);
    } finally {
      await bytes.close();
    }
    if (produced !== entry.lengthBytes) throw RestoreVerificationFailed.objectLength(entry.name, entry.lengthBytes, produced);
    await handle(out.subarray(0, produced), 0);
  } finally {
    ring.release(out);
  }
};

/** Stage buffers kept for the next object (each is page-aligned shared memory, costly to make). */
const spareStages: Buffer[] = [];
const SPARE_STAGES_KEPT = 4;
const takeStage = (): Buffer => spareStages.pop() ?? Buffer.from(alignedSharedMemory(STAGE_BYTES));
const giveStage = (stage: Buffer): void => {
  if (spareStages.length < SPARE_STAGES_KEPT) spareStages.push(stage);
};

/** Fills `stage` by reads straight into it until it is full or the object ends; how much it holds. */
const fillStage = async (bytes: ByteReader, stage: Buffer): Promise<number> => {
  let staged = 0;
  for (let n = -1; n !== 0 && staged < stage.length; staged += n) n = await bytes.read(stage.subarray(staged));
  return staged;
};

/**
 * The object's bytes a stage at a time, each yielded full (the last with the rest), the next one read
 * into the other stage while the caller works on this one: a restore's reads (direct, from the disk,
 * see the POSIX repository) overlap its decompression instead of taking turns with it.
 */
async function* stagesOf(bytes: ByteReader): AsyncGenerator<Buffer> {
  const stages = [takeStage(), takeStage()] as const;
  let next: Promise<number> | null = fillStage(bytes, stages[0]);
  try {
    for (let i = 0; next; i ^= 1) {
      const staged = await next;
      next = null;
      if (staged === STAGE_BYTES) {
        next = fillStage(bytes, stages[i ^ 1]);
        next.catch(() => undefined);
      }
      yield stages[i].subarray(0, staged);
    }
  } finally {
    // A read still filling the other stage finishes before the caller closes the object.
    await next?.catch(() => undefined);
    stages.forEach(giveStage);
  }
}

/**
 * Compressed bytes are gathered into shared memory (read straight into it where the repository can) and
 * decompressed by the codec's worker straight into the ring's buffers, a stage at a time: neither side
 * allocates or copies the output.
 */
const decompressInto = async (open: () => Promise<ByteReader>, decompressor: IntoDecompressor, pieces: PieceAssembler): Promise<void> => {
  const feed = async (input: Buffer) => {
    for (let pos = 0; ;) {
      const step = await pieces.fill((out) => decompressor.into(input.subarray(pos), out));
      pos += step.consumed;
      // Output left over when the piece filled up comes with the next call, even with no input left.
      if (step.pieceFull) continue;
      if (pos >= input.length) return;
      if (step.consumed === 0) throw new Error('the compressed stream makes no progress');
    }
  };
  let bytes: ByteReader | null = null;
  try {
    bytes = await open();
    for await (const input of stagesOf(bytes)) await feed(input);
    await decompressor.end();
  } catch (e) {
    decompressor.drop();
    throw e;
  } finally {
    await bytes?.close();
  }
};

/**
 * Cuts an object's uncompressed bytes into ring-sized pieces counted from its start, hands each to
 * `dispatch` as soon as it is full (several in flight, each buffer back in the ring once handled), and
 * fails as soon as the object grows past the length `_metadata` recorded.
 */
class PieceAssembler {
  private readonly pending = new Set<Promise<void>>();
  private failure: unknown = null;
  private slot: Buffer | null = null;
  private filled = 0;
  private produced = 0;

  constructor(
    private readonly ring: BufferRing,
    private readonly entry: WrittenObject,
    private readonly handle: (piece: Buffer, at: number) => Promise<unknown>,
  ) {}

  /** Copies `chunk` in. */
  async append(chunk: Buffer): Promise<void> {
    for (let pos = 0; pos < chunk.length;) {
      const n = Math.min(chunk.length - pos, (await this.current()).length - this.filled);
      chunk.copy(this.slot!, this.filled, pos, pos + n);
      pos += n;
      this.grew(n);
    }
  }

  /** Lets `write` put bytes straight into the current piece; says whether that filled it. */
  async fill<T extends { produced: number }>(write: (out: Buffer) => Promise<T>): Promise<T & { pieceFull: boolean }> {
    const slot = await this.current();
    const step = await write(slot.subarray(this.filled));
    const pieceFull = this.filled + step.produced === slot.length;
    this.grew(step.produced);
    return { ...step, pieceFull };
  }

  /** Hands on the last, partly filled piece and waits for every piece to be handled. */
  async finish(): Promise<void> {
    const last = this.slot;
    this.slot = null;
    if (last && this.filled > 0 && this.failure === null) this.dispatch(last.subarray(0, this.filled));
    else if (last) this.ring.release(last);
    await this.settle();
    if (this.failure !== null) throw this.failure;
    if (this.produced !== this.entry.lengthBytes)
      throw RestoreVerificationFailed.objectLength(this.entry.name, this.entry.lengthBytes, this.produced);
  }

  /** After a failure: gives the current piece back and waits for those in flight. A piece's own failure comes first. */
  async abandon(): Promise<void> {
    if (this.slot) this.ring.release(this.slot);
    this.slot = null;
    await this.settle();
    if (this.failure !== null) throw this.failure;
  }

  private async current(): Promise<Buffer> {
    if (this.failure !== null) throw this.failure;
    return (this.slot ??= await this.ring.acquire());
  }

  private grew(n: number): void {
    this.filled += n;
    if (this.produced + this.filled > this.entry.lengthBytes)
      throw RestoreVerificationFailed.objectLength(this.entry.name, this.entry.lengthBytes, this.produced + this.filled);
    if (this.filled === this.slot!.length) {
      this.dispatch(this.slot!);
      this.slot = null;
    }
  }

  private dispatch(piece: Buffer): void {
    const at = this.produced;
    this.produced += piece.length;
    this.filled = 0;
    const p: Promise<void> = this.handle(piece, at)
      .then(
        () => undefined,
        (e) => {
          this.failure ??= e;
        },
      )
      .finally(() => {
        this.ring.release(piece);
        this.pending.delete(p);
      });
    this.pending.add(p);
  }

  private async settle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}
