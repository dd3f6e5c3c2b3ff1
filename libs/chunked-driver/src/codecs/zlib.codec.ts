import * as zlib from 'node:zlib';
import type { Codec } from './codec';
import { nativeInflateInto } from './native-deflate';
import { deflateWhole, ParallelDeflate } from './parallel-deflate';

/**
 * RFC 1950 zlib streams, also for `gzip` (Cinder writes zlib bytes under that name). Node runs
 * deflate and inflate on the libuv thread pool, off the main thread, and honours back-pressure; where
 * the ISA-L add-on is built, level 1 deflates and every object inflates with it, on the same pool.
 */
const CHUNK_BYTES = 64 << 10;
/** From this size an object is deflated piecewise on several threads (see ParallelDeflate); below, one stream keeps small objects as small as Cinder's. */
export const PARALLEL_DEFLATE_MIN_BYTES = 1 << 20;

export const zlibCodec: Codec = {
  compressWhole: deflateWhole,
  name: 'zlib',
  compressor: ({ level, sizeBytes }) =>
    sizeBytes >= PARALLEL_DEFLATE_MIN_BYTES ? new ParallelDeflate(level) : zlib.createDeflate({ level, chunkSize: CHUNK_BYTES }),
  decompressor: () => zlib.createInflate({ chunkSize: CHUNK_BYTES }),
  // ISA-L's inflate where the add-on is built, straight into the restore's buffers; else the stream above.
  intoDecompressor: () => {
    const into = nativeInflateInto();
    return into ? Promise.resolve(into) : null;
  },
  decompressWhole: (stored, out) => zlib.inflateSync(stored, { maxOutputLength: out.length }).copy(out),
};
