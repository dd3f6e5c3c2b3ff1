import { Transform, type TransformCallback } from 'node:stream';
import { BufferRing } from '../pool/buffer-ring';
import type { WorkerPool } from '../pool/worker-pool';
import type { Codec, PieceCompressor } from './codec';
import type * as ZstdBindingModule from 'zstd-napi/binding';

/** Transforms whose work happens in a worker; they wait for the reader when push() says to. */
abstract class PooledTransform extends Transform {
  private readWaiter: (() => void) | null = null;

  protected waitForReader(): Promise<void> {
    return new Promise((resolve) => {
      this.readWaiter = resolve;
    });
  }

  protected pushOut(out: Buffer): Promise<void> {
    return out.length > 0 && !this.push(out) ? this.waitForReader() : Promise.resolve();
  }

  override _read(size: number): void {
    const waiter = this.readWaiter;
    this.readWaiter = null;
    waiter?.();
    super._read(size);
  }

  protected run(work: () => Promise<void>, done: TransformCallback): void {
    work().then(
      () => done(),
      (e: Error) => done(e),
    );
  }
}

/** Room the worker keeps free at the end of an output buffer, beyond compressBound of the input. */
const OUTPUT_MARGIN_BYTES = 128 << 10;

type ZstdBinding = typeof ZstdBindingModule;
let binding: ZstdBinding | null = null;
const zstd = (): ZstdBinding =>
  // A require, not an import: the native module loads on first use only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (binding ??= require('zstd-napi/binding') as ZstdBinding);

const outputBytesFor = (pieceBytes: number): number => zstd().compressBound(pieceBytes) + 2 * OUTPUT_MARGIN_BYTES;

/** One frame per object compressed on a pinned worker, straight into buffers of the caller's output ring. */
const openPieceCompressor = async (pool: WorkerPool, level: number, sizeBytes: number, output: BufferRing): Promise<PieceCompressor> => {
  const stream = await pool.zstdCompressor(level, sizeBytes);
  const into = async (run: (out: Buffer) => Promise<number>): Promise<Buffer> => {
    const slot = await output.acquire();
    try {
      return slot.subarray(0, await run(slot));
    } catch (e) {
      output.release(slot);
      throw e;
    }
  };
  return {
    write: (piece) => into((out) => stream.write(piece, out)),
    end: () => into((out) => stream.end(out)),
    release: (out) => output.release(out),
    destroy: () => stream.drop(),
  };
};

/** The stream form (tests, other callers): copies each output out of its one output buffer. */
class ZstdCompressTransform extends PooledTransform {
  private compressor: Promise<PieceCompressor> | null = null;

  constructor(
    private readonly pool: WorkerPool,
    private readonly level: number,
    private readonly sizeBytes: number,
  ) {
    super();
  }
  private get opened(): Promise<PieceCompressor> {
    return (this.compressor ??= openPieceCompressor(this.pool, this.level, this.sizeBytes, new BufferRing(1, outputBytesFor(1 << 20))));
  }
  private async pushCopy(out: Buffer, c: PieceCompressor): Promise<void> {
    const copy = Buffer.from(out);
    c.release(out);
    await this.pushOut(copy);
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.run(async () => {
      const c = await this.opened;
      for (let at = 0; at < chunk.length; at += 1 << 20) await this.pushCopy(await c.write(chunk.subarray(at, at + (1 << 20))), c);
    }, done);
  }
  override _flush(done: TransformCallback): void {
    this.run(async () => {
      const c = await this.opened;
      const out = await c.end();
      const copy = Buffer.from(out);
      c.release(out);
      if (copy.length) this.push(copy);
    }, done);
  }
  override _destroy(err: Error | null, done: (e: Error | null) => void): void {
    this.compressor?.then(
      (c) => c.destroy(),
      () => undefined,
    );
    done(err);
  }
}

class ZstdDecompressTransform extends PooledTransform {
  private stream: ReturnType<WorkerPool['zstdDecompressor']> | null = null;

  constructor(private readonly pool: WorkerPool) {
    super();
  }
  private get decompressor() {
    return (this.stream ??= this.pool.zstdDecompressor());
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.run(async () => {
      const d = await this.decompressor;
      let step = await d.write(chunk);
      for (;;) {
        await this.pushOut(step.out);
        if (step.done) return;
        step = await d.pull();
      }
    }, done);
  }
  override _flush(done: TransformCallback): void {
    this.run(async () => (await this.decompressor).end(), done);
  }
  override _destroy(err: Error | null, done: (e: Error | null) => void): void {
    this.stream?.then(
      (s) => s.drop(),
      () => undefined,
    );
    done(err);
  }
}

let wholeContext: { cctx: InstanceType<ZstdBinding['CCtx']>; level: number } | null = null;
let wholeOutput = Buffer.alloc(0);

/**
 * One frame with its content size (a single-pass compress2 knows it), on the calling thread with one
 * reused context: for a small object this takes microseconds, less than a worker's round trip. Into
 * `room` when it holds the bound, else into a copy of its own.
 */
const compressWholeHere = (data: Buffer, level: number, room?: Buffer): Buffer => {
  const z = zstd();
  if (wholeContext?.level !== level) {
    const cctx = new z.CCtx();
    cctx.setParameter(z.CParameter.compressionLevel, level);
    cctx.setParameter(z.CParameter.contentSizeFlag, 1);
    wholeContext = { cctx, level };
  }
  const bound = z.compressBound(data.length);
  if (room && room.length >= bound) return room.subarray(0, wholeContext.cctx.compress2(room, data));
  if (wholeOutput.length < bound) wholeOutput = Buffer.alloc(bound);
  const n = wholeContext.cctx.compress2(wholeOutput, data);
  return Buffer.from(wholeOutput.subarray(0, n));
};

let wholeDctx: InstanceType<ZstdBinding['DCtx']> | null = null;

/** Every frame of `stored` into `out`, on the calling thread with one reused context. */
const decompressWholeHere = (stored: Buffer, out: Buffer): number => (wholeDctx ??= new (zstd().DCtx)()).decompress(out, stored);

/** One zstd frame per object, with the content size in its header; compression runs on the pool. */
export const zstdCodec: Codec = {
  name: 'zstd',
  compressor: ({ level, sizeBytes, pool }) => new ZstdCompressTransform(pool, level, sizeBytes),
  compressWhole: async (data, level, room) => compressWholeHere(data, level, room),
  outputBytesFor,
  pieceCompressor: ({ level, sizeBytes, pool, output }) => openPieceCompressor(pool, level, sizeBytes, output),
  decompressor: (pool) => new ZstdDecompressTransform(pool),
  intoDecompressor: (pool) => pool.zstdDecompressorInto(),
  decompressWhole: decompressWholeHere,
};
