/**
 * The code of one WorkerPool thread (see pool-worker-entry.ts for how a thread finds it). It answers
 * the requests of pool-protocol.ts in the order they arrive. Results travel back as transferred
 * ArrayBuffers. A 'read' fills a shared buffer from a file descriptor of this process with a blocking
 * read: the worker is a thread of its own, and the bytes then never pass through the main thread.
 */
import { createHash, type Hash } from 'node:crypto';
import { sha256Blocks } from '../block-hash';
import { DIRECT_ALIGN_BYTES } from '../direct-io';
import { readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { fromWire } from './wire';
import type { CCtx, DCtx, EndDirective } from 'zstd-napi/binding';
import type { PoolMessage, PoolOp, PoolReply, PoolRequest, PoolRequestOf, PoolResult, ZstdInto, ZstdPulled } from './pool-protocol';
import type * as ZstdBindingModule from 'zstd-napi/binding';

type ZstdBinding = typeof ZstdBindingModule;
let zstd: ZstdBinding | null = null;
/** Loaded on first use: a pool that only hashes never loads the native module. */
const binding = (): ZstdBinding =>
  // A require, not an import: the native module loads on first use only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (zstd ??= require('zstd-napi/binding') as ZstdBinding);

interface ZstdCompression {
  readonly cctx: CCtx;
  /** Output past the last whole page, held back to go first into the next output buffer. */
  readonly carry: Buffer;
  carried: number;
}
interface ZstdDecompression {
  readonly dctx: DCtx;
  input: Buffer;
  pos: number;
  frameDone: boolean;
}
/** What a stream pinned to this worker carries from one message to the next. */
type PinnedState = Hash | ZstdCompression | ZstdDecompression;

const streams = new Map<number, PinnedState>();
const pinned = <T extends PinnedState>(sid: number): T => {
  const state = streams.get(sid);
  if (state === undefined) throw new Error(`no stream ${sid} on this worker`);
  return state as T;
};
const unpin = <T extends PinnedState>(sid: number): T => {
  const state = pinned<T>(sid);
  streams.delete(sid);
  return state;
};

const MAX_PULL = 4 << 20;
let scratch = Buffer.allocUnsafeSlow(1 << 20);
let readBuffer: Buffer | null = null;

const ensureScratch = (n: number): Buffer => {
  if (scratch.length < n) scratch = Buffer.allocUnsafeSlow(n);
  return scratch;
};
const copyOut = (buf: Buffer, n: number): Uint8Array => {
  const out = new Uint8Array(n);
  out.set(buf.subarray(0, n));
  return out;
};

/**
 * Compresses into the caller's output buffer (shared memory) and returns the byte count: no buffer is
 * allocated, transferred or first-touched per piece.
 */
const zstdCompress = ({ cctx }: ZstdCompression, input: Buffer, directive: EndDirective, out: Buffer): number => {
  const z = binding();
  let produced = 0;
  let consumed = 0;
  for (;;) {
    if (out.length - produced < 1 << 17) throw new Error('zstd output exceeded its bound');
    const [remaining, p, c] = cctx.compressStream2(out.subarray(produced), input.subarray(consumed), directive);
    produced += p;
    consumed += c;
    if (directive === z.EndDirective.end ? remaining === 0 : consumed === input.length) break;
  }
  return produced;
};

/**
 * `zstdCompress` handing out whole pages: the bytes held back from the last call go first into `out`,
 * and what ends past its last whole page is held back in turn, until the frame's end hands out the rest.
 * An object's writer then gets page-aligned runs of whole pages in page-aligned memory, which it writes
 * with O_DIRECT as they are (`DirectAppender`), where it had to copy them: 0.15 s of the main thread's
 * CPU for the ~370 MB of the 1 GiB bench image's full backup, most of what that thread did. Only these
 * < 4 KiB are copied, here.
 */
const zstdCompressPages = (s: ZstdCompression, input: Buffer, directive: EndDirective, out: Buffer): number => {
  s.carry.copy(out, 0, 0, s.carried);
  const bytes = s.carried + zstdCompress(s, input, directive, out.subarray(s.carried));
  const pages = directive === binding().EndDirective.end ? bytes : bytes - (bytes % DIRECT_ALIGN_BYTES);
  s.carried = out.copy(s.carry, 0, pages, bytes);
  return pages;
};

const zstdPull = (s: ZstdDecompression): ZstdPulled => {
  const out = ensureScratch(MAX_PULL).subarray(0, MAX_PULL);
  let produced = 0;
  while (produced < out.length) {
    const [ret, p, c] = s.dctx.decompressStream(out.subarray(produced), s.input.subarray(s.pos));
    produced += p;
    s.pos += c;
    if (p || c) s.frameDone = ret === 0;
    if (p === 0 && (c === 0 || s.pos === s.input.length)) break;
  }
  const done = s.pos === s.input.length && produced < out.length;
  return { out: copyOut(out, produced), done };
};

/** Straight into the caller's shared buffer: no output is allocated, copied or transferred. */
const zstdInto = (s: ZstdDecompression, input: Buffer, out: Buffer): ZstdInto => {
  let produced = 0;
  let consumed = 0;
  while (produced < out.length) {
    const [ret, p, c] = s.dctx.decompressStream(out.subarray(produced), input.subarray(consumed));
    produced += p;
    consumed += c;
    if (p || c) s.frameDone = ret === 0;
    if (p === 0 && c === 0) break;
  }
  return { consumed, produced, frameDone: s.frameDone };
};

const readExactly = (fd: number, b: Buffer, len: number, pos: number): void => {
  for (let done = 0; done < len;) {
    const n = readSync(fd, b, done, len - done, pos + done);
    if (n === 0) throw new Error(`unexpected end of volume at byte ${pos + done}`);
    done += n;
  }
};

/** A stretch of the file, read through one private buffer that is touched once and reused. */
const hashRange = ({ fd, pos, len, block }: PoolRequestOf<'hash'>): string[] => {
  const step = Math.max(block, Math.floor((1 << 20) / block) * block);
  // Skewed off the page boundary: see READ_BUFFER_SKEW_BYTES in buffer-ring.ts.
  if (!readBuffer || readBuffer.length < step) readBuffer = Buffer.alloc(step + 4096).subarray(2048, 2048 + step);
  const hashes: string[] = [];
  for (let done = 0; done < len;) {
    const n = Math.min(step, len - done);
    const b = readBuffer.subarray(0, n);
    readExactly(fd, b, n, pos + done);
    for (const h of sha256Blocks(b, block)) hashes.push(h);
    done += n;
  }
  return hashes;
};

const openZstdCompression = ({ sid, level, size }: PoolRequestOf<'zc.open'>): null => {
  const z = binding();
  const cctx = new z.CCtx();
  cctx.setParameter(z.CParameter.compressionLevel, level);
  cctx.setParameter(z.CParameter.contentSizeFlag, 1);
  cctx.setPledgedSrcSize(size);
  streams.set(sid, { cctx, carry: Buffer.alloc(DIRECT_ALIGN_BYTES), carried: 0 });
  return null;
};

const HANDLERS: { readonly [K in PoolOp]: (m: PoolRequestOf<K>) => PoolResult<K> } = {
  sha: (m) => sha256Blocks(fromWire(m.data), m.block),
  hash: hashRange,
  read: (m) => {
    const b = fromWire(m.data).subarray(0, m.len);
    readExactly(m.fd, b, m.len, m.pos);
    return sha256Blocks(b, m.block);
  },
  'md5.open': (m) => {
    streams.set(m.sid, createHash('md5'));
    return null;
  },
  'md5.update': (m) => {
    pinned<Hash>(m.sid).update(fromWire(m.data));
    return null;
  },
  'md5.final': (m) => unpin<Hash>(m.sid).digest('hex'),
  'zc.open': openZstdCompression,
  'zc.write': (m) => zstdCompressPages(pinned<ZstdCompression>(m.sid), fromWire(m.data), binding().EndDirective.continue, fromWire(m.out)),
  'zc.end': (m) => zstdCompressPages(unpin<ZstdCompression>(m.sid), Buffer.alloc(0), binding().EndDirective.end, fromWire(m.out)),
  'zd.open': (m) => {
    streams.set(m.sid, { dctx: new (binding().DCtx)(), input: Buffer.alloc(0), pos: 0, frameDone: false });
    return null;
  },
  'zd.write': (m) => {
    const s = pinned<ZstdDecompression>(m.sid);
    s.input = Buffer.from(fromWire(m.data));
    s.pos = 0;
    return zstdPull(s);
  },
  'zd.pull': (m) => zstdPull(pinned<ZstdDecompression>(m.sid)),
  'zd.into': (m) => zstdInto(pinned<ZstdDecompression>(m.sid), fromWire(m.data), fromWire(m.out)),
  'zd.end': (m) => {
    if (!unpin<ZstdDecompression>(m.sid).frameDone) throw new Error('truncated zstd frame');
    return null;
  },
  drop: (m) => {
    streams.delete(m.sid);
    return null;
  },
};

const handle = (m: PoolRequest): PoolResult<PoolOp> => {
  const handler = Object.prototype.hasOwnProperty.call(HANDLERS, m.op) ? (HANDLERS[m.op] as (m: PoolRequest) => PoolResult<PoolOp>) : null;
  if (!handler) throw new Error(`unknown op ${String(m.op)}`);
  return handler(m);
};

const port = parentPort;
if (port === null) throw new Error('pool-worker.ts is the code of a WorkerPool thread; it is not imported');

port.on('message', (m: PoolMessage) => {
  let reply: PoolReply;
  try {
    reply = { id: m.id, ok: true, result: handle(m) };
  } catch (e) {
    port.postMessage({ id: m.id, ok: false, error: e instanceof Error && e.message ? e.message : String(e) } satisfies PoolReply);
    return;
  }
  // Decompressed output is a fresh buffer of this thread: moved, not copied.
  const { result } = reply;
  const transfer = result !== null && typeof result === 'object' && 'out' in result ? [result.out.buffer as ArrayBuffer] : [];
  port.postMessage(reply, transfer);
});
