import { Transform, TransformCallback } from 'node:stream';
import type { WorkerPool } from '../pool/worker-pool';
import type { Codec } from './codec';

/** Transforms whose work happens in a worker; they wait for the reader when push() says to. */
abstract class PooledTransform extends Transform {
  private readWaiter: (() => void) | null = null;

  protected waitForReader(): Promise<void> {
    return new Promise((resolve) => { this.readWaiter = resolve; });
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
    work().then(() => done(), (e: Error) => done(e));
  }
}

class ZstdCompressTransform extends PooledTransform {
  private stream: ReturnType<WorkerPool['zstdCompressor']> | null = null;

  constructor(private readonly pool: WorkerPool, private readonly level: number, private readonly sizeBytes: number) {
    super();
  }
  private get compressor() {
    return (this.stream ??= this.pool.zstdCompressor(this.level, this.sizeBytes));
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.run(async () => this.pushOut(await (await this.compressor).write(chunk)), done);
  }
  override _flush(done: TransformCallback): void {
    this.run(async () => {
      const out = await (await this.compressor).end();
      if (out.length) this.push(out);
    }, done);
  }
  override _destroy(err: Error | null, done: (e: Error | null) => void): void {
    this.stream?.then((s) => s.drop(), () => undefined);
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
    this.stream?.then((s) => s.drop(), () => undefined);
    done(err);
  }
}

type ZstdBinding = typeof import('zstd-napi/binding');
let binding: ZstdBinding | null = null;
let wholeContext: { cctx: InstanceType<ZstdBinding['CCtx']>; level: number } | null = null;
let wholeOutput = Buffer.alloc(0);

/**
 * One frame with its content size (a single-pass compress2 knows it), on the calling thread with one
 * reused context: for a small object this takes microseconds, less than a worker's round trip.
 */
const compressWholeHere = (data: Buffer, level: number): Buffer => {
  binding ??= require('zstd-napi/binding') as ZstdBinding;
  if (wholeContext?.level !== level) {
    const cctx = new binding.CCtx();
    cctx.setParameter(binding.CParameter.compressionLevel, level);
    cctx.setParameter(binding.CParameter.contentSizeFlag, 1);
    wholeContext = { cctx, level };
  }
  const bound = binding.compressBound(data.length);
  if (wholeOutput.length < bound) wholeOutput = Buffer.alloc(bound);
  const n = wholeContext.cctx.compress2(wholeOutput, data);
  return Buffer.from(wholeOutput.subarray(0, n));
};

/** One zstd frame per object, with the content size in its header; compression runs on the pool. */
export const zstdCodec: Codec = {
  name: 'zstd',
  compressor: ({ level, sizeBytes, pool }) => new ZstdCompressTransform(pool, level, sizeBytes),
  compressWhole: async (data, level) => compressWholeHere(data, level),
  decompressor: (pool) => new ZstdDecompressTransform(pool),
};
