import { PassThrough, Transform } from 'node:stream';
import type { Codec } from './codec';

/** Raw bytes. The compressor copies, because its caller reuses input buffers. */
export const noneCodec: Codec = {
  name: 'none',
  compressor: () => new Transform({ transform: (chunk: Buffer, _e, done) => done(null, Buffer.from(chunk)) }),
  decompressor: () => new PassThrough(),
};
