import { PassThrough, Transform } from 'node:stream';
import type { Codec } from './codec';

/** Raw bytes. The compressor copies, because its caller reuses input buffers. */
export const noneCodec: Codec = {
  name: 'none',
  compressor: () => new Transform({ transform: (chunk: Buffer, _e, done) => done(null, Buffer.from(chunk)) }),
  decompressor: () => new PassThrough(),
  decompressWhole: (stored, out) => {
    if (stored.length > out.length) throw new Error(`${stored.length} bytes where at most ${out.length} fit`);
    return stored.copy(out);
  },
};
