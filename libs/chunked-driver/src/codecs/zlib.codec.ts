import * as zlib from 'node:zlib';
import type { Codec } from './codec';

/**
 * RFC 1950 zlib streams, also for `gzip` (Cinder writes zlib bytes under that name). Node runs
 * deflate and inflate on the libuv thread pool, off the main thread, and honours back-pressure.
 */
const CHUNK_BYTES = 64 << 10;

export const zlibCodec: Codec = {
  name: 'zlib',
  compressor: ({ level }) => zlib.createDeflate({ level, chunkSize: CHUNK_BYTES }),
  decompressor: () => zlib.createInflate({ chunkSize: CHUNK_BYTES }),
};
