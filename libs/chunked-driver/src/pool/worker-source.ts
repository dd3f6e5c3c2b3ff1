/**
 * The worker's code, as plain JavaScript run with `new Worker(source, { eval: true })`: ts-jest cannot
 * load a `.ts` worker, and a string works the same under jest and from `dist/`.
 * Buffers arrive as `{ sab, off, len }` views of shared memory (no copy) or as cloned Uint8Arrays.
 * Results travel back as transferred ArrayBuffers. A 'read' fills a shared buffer from a file descriptor
 * of this process with a blocking read: the worker is a thread of its own, and the bytes then never pass
 * through the main thread. Messages to one worker run in order, so a stream
 * pinned to a worker (md5, zstd) sees its pieces in order.
 */
export const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const fs = require('node:fs');
let zstd = null;
const binding = () => (zstd ??= require(workerData.zstdBindingPath));
const streams = new Map();
const MAX_PULL = 4 << 20;
let scratch = Buffer.allocUnsafeSlow(1 << 20);
let readBuffer = null;

const view = (d) => (d.sab ? Buffer.from(d.sab, d.off, d.len) : Buffer.from(d.buffer, d.byteOffset, d.byteLength));
const ensureScratch = (n) => { if (scratch.length < n) scratch = Buffer.allocUnsafeSlow(n); return scratch; };
const copyOut = (buf, n) => { const out = new Uint8Array(n); out.set(buf.subarray(0, n)); return out; };

// Compresses into the caller's output buffer (shared memory) and returns the byte count: no buffer is
// allocated, transferred or first-touched per piece.
function zstdCompress(s, input, directive, out) {
  const z = binding();
  let produced = 0, consumed = 0;
  for (;;) {
    if (out.length - produced < (1 << 17)) throw new Error('zstd output exceeded its bound');
    const [remaining, p, c] = s.cctx.compressStream2(out.subarray(produced), input.subarray(consumed), directive);
    produced += p; consumed += c;
    if (directive === z.EndDirective.end ? remaining === 0 : consumed === input.length) break;
  }
  return produced;
}

function zstdPull(s) {
  const z = binding();
  const out = ensureScratch(MAX_PULL).subarray(0, MAX_PULL);
  let produced = 0;
  while (produced < out.length) {
    const [ret, p, c] = s.dctx.decompressStream(out.subarray(produced), s.input.subarray(s.pos));
    produced += p; s.pos += c;
    if (p || c) s.frameDone = ret === 0;
    if (p === 0 && (c === 0 || s.pos === s.input.length)) break;
  }
  const done = s.pos === s.input.length && produced < out.length;
  return { out: copyOut(out, produced), done };
}

function sha256Blocks(b, block) {
  const hashes = [];
  for (let o = 0; o < b.length; o += block)
    hashes.push(crypto.createHash('sha256').update(b.subarray(o, Math.min(o + block, b.length))).digest('hex'));
  return hashes;
}

function readExactly(fd, b, len, pos) {
  for (let done = 0; done < len; ) {
    const n = fs.readSync(fd, b, done, len - done, pos + done);
    if (n === 0) throw new Error('unexpected end of volume at byte ' + (pos + done));
    done += n;
  }
}

function handle(m) {
  switch (m.op) {
    case 'sha': return sha256Blocks(view(m.data), m.block);
    case 'hash': {
      // A stretch of the file, read through one private buffer that is touched once and reused.
      const step = Math.max(m.block, Math.floor((1 << 20) / m.block) * m.block);
      // Skewed off the page boundary: see READ_BUFFER_SKEW_BYTES in buffer-ring.ts.
      if (!readBuffer || readBuffer.length < step) readBuffer = Buffer.alloc(step + 4096).subarray(2048, 2048 + step);
      const hashes = [];
      for (let done = 0; done < m.len; ) {
        const n = Math.min(step, m.len - done);
        const b = readBuffer.subarray(0, n);
        readExactly(m.fd, b, n, m.pos + done);
        for (const h of sha256Blocks(b, m.block)) hashes.push(h);
        done += n;
      }
      return hashes;
    }
    case 'read': {
      const b = view(m.data).subarray(0, m.len);
      readExactly(m.fd, b, m.len, m.pos);
      return sha256Blocks(b, m.block);
    }
    case 'md5.open': streams.set(m.sid, crypto.createHash('md5')); return null;
    case 'md5.update': streams.get(m.sid).update(view(m.data)); return null;
    case 'md5.final': { const h = streams.get(m.sid); streams.delete(m.sid); return h.digest('hex'); }
    case 'zc.open': {
      const z = binding(); const cctx = new z.CCtx();
      cctx.setParameter(z.CParameter.compressionLevel, m.level);
      cctx.setParameter(z.CParameter.contentSizeFlag, 1);
      cctx.setPledgedSrcSize(m.size);
      streams.set(m.sid, { cctx }); return null;
    }
    case 'zc.write': return zstdCompress(streams.get(m.sid), view(m.data), binding().EndDirective.continue, view(m.out));
    case 'zc.end': {
      const s = streams.get(m.sid); streams.delete(m.sid);
      return zstdCompress(s, Buffer.alloc(0), binding().EndDirective.end, view(m.out));
    }
    case 'zd.open': streams.set(m.sid, { dctx: new (binding().DCtx)(), input: Buffer.alloc(0), pos: 0, frameDone: false }); return null;
    case 'zd.write': { const s = streams.get(m.sid); s.input = Buffer.from(view(m.data)); s.pos = 0; return zstdPull(s); }
    case 'zd.pull': return zstdPull(streams.get(m.sid));
    case 'zd.end': {
      const s = streams.get(m.sid); streams.delete(m.sid);
      if (!s.frameDone) throw new Error('truncated zstd frame');
      return null;
    }
    case 'drop': streams.delete(m.sid); return null;
    default: throw new Error('unknown op ' + m.op);
  }
}

parentPort.on('message', (m) => {
  let result;
  try {
    result = handle(m);
  } catch (e) {
    parentPort.postMessage({ id: m.id, ok: false, error: String((e && e.message) || e) });
    return;
  }
  const transfer = [];
  if (result instanceof Uint8Array) transfer.push(result.buffer);
  else if (result && result.out instanceof Uint8Array) transfer.push(result.out.buffer);
  parentPort.postMessage({ id: m.id, ok: true, result }, transfer);
});
`;
