import { Transform, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';
import { adler32, ADLER32_INITIAL } from './adler32';
import { NATIVE_DEFLATE_LEVEL, nativeDeflate } from './native-deflate';

/**
 * One zlib stream (RFC 1950) compressed on several threads, pigz's way: each piece is deflated on its own
 * (raw, ending in a sync flush, so it stops on a byte boundary and is not final), the pieces are
 * concatenated in order, an empty final block closes the deflate stream, and the Adler-32 of all the
 * input follows. Any inflater (Python's `zlib.decompress`, Cinder) reads it as one ordinary stream.
 *
 * A single deflate stream runs on one core at about 100 MB/s on our build VMs; POSIX objects are up to
 * 1.86 GiB, so one object is most backups. Pieces lose the 32 KiB window at their start, which costs a
 * fraction of a percent at 1 MiB pieces.
 */

/** Pieces deflated at once, on the libuv pool (4 threads by default). */
const IN_FLIGHT = 4;
/** An empty final fixed-Huffman block: BFINAL=1, BTYPE=01, end-of-block. */
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);

/** CMF 0x78 (deflate, 32 KiB window) and FLG with the level hint and check bits. */
export const zlibHeader = (level: number): Buffer => {
  const flevel = level < 2 ? 0 : level < 6 ? 1 : level === 6 ? 2 : 3;
  let flg = flevel << 6;
  flg += 31 - ((0x78 * 256 + flg) % 31);
  return Buffer.from([0x78, flg]);
};

/**
 * Long-lived raw deflate streams, one per piece in flight and level, reused for every piece of every object,
 * instead of a new stream per `zlib.deflateRaw` call (about 256 KiB of z_stream state, a Node stream, and
 * a Buffer.concat of the whole output). Each piece starts with `reset()` (deflateReset keeps the memory),
 * so no piece refers back into another; it ends in a sync flush, on a byte boundary, not final. The
 * output comes back as the stream's 64 KiB chunks, pushed as they are. Measured on the bench's mixed
 * data, ParallelDeflate alone went from 7.5–8.5 to 6.7–7.0 CPU s per GiB; stored pieces cost a third.
 */
const OUT_CHUNK_BYTES = 64 << 10;
const IDLE_MAX = IN_FLIGHT * 2;
class RawDeflater {
  private chunks: Buffer[] = [];
  private readonly stream: zlib.DeflateRaw;
  constructor(readonly level: number) {
    this.stream = zlib.createDeflateRaw({ level, chunkSize: OUT_CHUNK_BYTES });
    this.stream.on('data', (c: Buffer) => this.chunks.push(c));
    this.stream.on('error', () => undefined); // reported through the flush callback
  }

  /** The raw deflate of `input` alone, as the output chunks of the stream (no concatenation). */
  deflate(input: Buffer): Promise<Buffer[]> {
    this.stream.reset();
    this.chunks = [];
    return new Promise((resolve, reject) => {
      this.stream.write(input);
      this.stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        const failed = this.stream.destroyed || this.stream.errored;
        if (failed) {
          reject(failed instanceof Error ? failed : new Error('deflate failed'));
          return;
        }
        // The flush's output is pushed before its callback; wait for any of it still buffered to be emitted.
        const settle = (): void => {
          if (this.stream.readableLength > 0) {
            setImmediate(settle);
            return;
          }
          const out = this.chunks;
          this.chunks = [];
          resolve(out);
        };
        settle();
      });
    });
  }

  get broken(): boolean {
    return this.stream.destroyed || this.stream.errored !== null;
  }
}
const idle = new Map<number, RawDeflater[]>();
const deflateRaw = async (input: Buffer, level: number): Promise<Buffer[]> => {
  // ISA-L where its add-on is built (native-deflate.ts): the same thread pool, several times the speed.
  const native = level === NATIVE_DEFLATE_LEVEL ? nativeDeflate() : null;
  if (native) {
    const { out } = await native.deflate(input, level, false);
    return out ? [out] : storedBlocks(input);
  }
  const d = idle.get(level)?.pop() ?? new RawDeflater(level);
  const out = await d.deflate(input);
  const list = idle.get(level) ?? [];
  idle.set(level, list);
  if (!d.broken && list.length < IDLE_MAX) list.push(d);
  return out;
};
/** Adler-32 on ISA-L's SIMD code where the add-on is built (several GB/s against 840 MB/s), else in JS. */
const adlerOf = (data: Buffer, init: number): number => {
  const native = nativeDeflate();
  return native ? native.adler32(data, init) : adler32(data, init);
};
const byteLength = (chunks: Buffer[]): number => chunks.reduce((n, c) => n + c.length, 0);

/**
 * Level 0 written here rather than by zlib: zlib sizes stored blocks by the output space left, which
 * depends on where the reused stream's output buffer stands, so the bytes would differ from run to run.
 * Non-final stored blocks of at most 65535 bytes; each piece starts on a byte boundary (the previous
 * one ended in a sync flush or a stored block), so no padding bits are needed.
 */
const STORED_MAX = 65535;
const storedBlocks = (input: Buffer): Buffer[] => {
  const blocks = Math.max(1, Math.ceil(input.length / STORED_MAX));
  const out = Buffer.allocUnsafe(input.length + 5 * blocks);
  let at = 0;
  for (let i = 0; i < blocks; i++) {
    const part = input.subarray(i * STORED_MAX, (i + 1) * STORED_MAX);
    out[at] = 0x00; // BFINAL=0, BTYPE=00
    out.writeUInt16LE(part.length, at + 1);
    out.writeUInt16LE(~part.length & 0xffff, at + 3);
    at += 5 + part.copy(out, at + 5);
  }
  return [out];
};

/**
 * Deflate at level 1 runs at about 35 MB/s on random bytes here (110 on word text, 280 on repetitive
 * text, 1000 on zeros), so random data would cost most of a backup's CPU for nothing. A piece whose
 * first SAMPLE_BYTES do not shrink by 2% is stored (stored blocks, a copy) instead.
 * A piece that only turns compressible after its start is stored too: that costs ratio, never correctness.
 */
const SAMPLE_BYTES = 16 << 10;
const deflatePiece = async (piece: Buffer, level: number): Promise<Buffer[]> => {
  if (level > 0 && piece.length > 2 * SAMPLE_BYTES) {
    const sample = await deflateRaw(piece.subarray(0, SAMPLE_BYTES), level);
    if (byteLength(sample) >= SAMPLE_BYTES * 0.98) return storedBlocks(piece);
  }
  return level === 0 ? storedBlocks(piece) : deflateRaw(piece, level);
};

/** A small object's sample: enough to tell text or zeros from random bytes, a tenth of the cost of trying. */
const WHOLE_SAMPLE_BYTES = 4 << 10;

/**
 * A whole small object as one zlib stream, on a reused raw deflate stream (a fresh one per object costs
 * about 256 KiB of first-touched state, more than deflating 32 KiB). An object whose first 4 KiB do not
 * shrink by 2% is returned as it is, uncompressed: the caller then stores it raw, as Cinder stores an
 * object that compression did not shrink.
 */
export const deflateWhole = async (data: Buffer, level: number, room?: Buffer): Promise<Buffer> => {
  if (level === 0) return data;
  if (data.length >= 2 * WHOLE_SAMPLE_BYTES) {
    const sample = await deflateRaw(data.subarray(0, WHOLE_SAMPLE_BYTES), level);
    if (byteLength(sample) >= WHOLE_SAMPLE_BYTES * 0.98) return data;
  }
  const body = await deflateRaw(data, level);
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(adlerOf(data, ADLER32_INITIAL), 0);
  const parts = [zlibHeader(level), ...body, FINAL_EMPTY_BLOCK, trailer];
  const length = byteLength(parts);
  if (!room || room.length < length) return Buffer.concat(parts, length);
  let at = 0;
  for (const part of parts) at += part.copy(room, at);
  return room.subarray(0, at);
};

/** Reusable input copies: the caller reuses its chunk once the write callback runs, before deflate ends. */
const spare: Buffer[] = [];
const SPARE_MAX = IN_FLIGHT * 2;
const copyOf = (chunk: Buffer): Buffer => {
  let b = spare.pop();
  if (!b || b.length < chunk.length) b = Buffer.allocUnsafeSlow(Math.max(chunk.length, 1 << 20));
  chunk.copy(b);
  return b.subarray(0, chunk.length);
};
const recycle = (view: Buffer): void => {
  if (spare.length < SPARE_MAX) spare.push(Buffer.from(view.buffer, view.byteOffset, view.buffer.byteLength - view.byteOffset));
};

export class ParallelDeflate extends Transform {
  private readonly queue: Promise<Buffer[]>[] = [];
  private adler = ADLER32_INITIAL;
  private readWaiter: (() => void) | null = null;

  constructor(private readonly level: number) {
    super();
    this.push(zlibHeader(level));
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const input = copyOf(chunk);
    this.adler = adlerOf(input, this.adler);
    const job = deflatePiece(input, this.level).finally(() => recycle(input));
    job.catch(() => undefined); // surfaced when its turn comes
    this.queue.push(job);
    (this.queue.length >= IN_FLIGHT ? this.emitOldest() : Promise.resolve()).then(() => done(), done);
  }

  override _flush(done: TransformCallback): void {
    (async () => {
      while (this.queue.length > 0) await this.emitOldest();
      const trailer = Buffer.alloc(4);
      trailer.writeUInt32BE(this.adler, 0);
      this.push(Buffer.concat([FINAL_EMPTY_BLOCK, trailer]));
    })().then(() => done(), done);
  }

  /** Pushes the oldest piece's output in order, waiting for the reader when it asks us to. */
  private async emitOldest(): Promise<void> {
    const out = await (this.queue.shift() as Promise<Buffer[]>);
    let more = true;
    for (const c of out) if (c.length > 0) more = this.push(c);
    if (!more)
      await new Promise<void>((resolve) => {
        this.readWaiter = resolve;
      });
  }

  override _read(size: number): void {
    const waiter = this.readWaiter;
    this.readWaiter = null;
    waiter?.();
    super._read(size);
  }

  /** A destroyed stream is never read again: a piece waiting for the reader must not wait forever. */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const waiter = this.readWaiter;
    this.readWaiter = null;
    waiter?.();
    callback(error);
  }
}
