import { PassThrough, Transform } from 'node:stream';
import type { Codec, IntoDecompressor } from './codec';

/**
 * Stored bytes copied into the caller's buffers: a restore of a `none` object reads it into its own
 * stage and copies from there, with no fresh buffer per chunk (as a stream gave: the `none` restores
 * were the service's peak RSS, 306–310 MB).
 */
const copyInto = (): IntoDecompressor => ({
  into: async (input, out) => {
    const n = input.copy(out, 0, 0, Math.min(input.length, out.length));
    return { consumed: n, produced: n };
  },
  end: async () => undefined,
  drop: () => undefined,
});

/** Raw bytes. The compressor copies, because its caller reuses input buffers. */
export const noneCodec: Codec = {
  name: 'none',
  compressor: () => new Transform({ transform: (chunk: Buffer, _e, done) => done(null, Buffer.from(chunk)) }),
  decompressor: () => new PassThrough(),
  intoDecompressor: () => Promise.resolve(copyInto()),
  decompressWhole: (stored, out) => {
    if (stored.length > out.length) throw new Error(`${stored.length} bytes where at most ${out.length} fit`);
    return stored.copy(out);
  },
};
