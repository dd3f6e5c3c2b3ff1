import { Transform, TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';
import { adler32, ADLER32_INITIAL } from './adler32';

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

const deflateRaw = (input: Buffer, level: number): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    zlib.deflateRaw(input, { level, finishFlush: zlib.constants.Z_SYNC_FLUSH }, (e, out) => (e ? reject(e) : resolve(out))));

/**
 * Deflate at level 1 runs at about 35 MB/s on random bytes here (280 on text, 1000 on zeros), so random
 * data would cost most of a backup's CPU for nothing. A piece whose first SAMPLE_BYTES do not shrink by
 * 2% is stored (deflate level 0, stored blocks, 670 MB/s) instead. A piece that only turns compressible
 * after its start is stored too: that costs ratio, never correctness.
 */
const SAMPLE_BYTES = 16 << 10;
const deflatePiece = async (piece: Buffer, level: number): Promise<Buffer> => {
  if (level > 0 && piece.length > 2 * SAMPLE_BYTES) {
    const sample = await deflateRaw(piece.subarray(0, SAMPLE_BYTES), level);
    if (sample.length >= SAMPLE_BYTES * 0.98) return deflateRaw(piece, 0);
  }
  return deflateRaw(piece, level);
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
  private readonly queue: Promise<Buffer>[] = [];
  private adler = ADLER32_INITIAL;
  private readWaiter: (() => void) | null = null;

  constructor(private readonly level: number) {
    super();
    this.push(zlibHeader(level));
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const input = copyOf(chunk);
    this.adler = adler32(input, this.adler);
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
    const out = await (this.queue.shift() as Promise<Buffer>);
    if (out.length > 0 && !this.push(out)) await new Promise<void>((resolve) => { this.readWaiter = resolve; });
  }

  override _read(size: number): void {
    const waiter = this.readWaiter;
    this.readWaiter = null;
    waiter?.();
    super._read(size);
  }
}
