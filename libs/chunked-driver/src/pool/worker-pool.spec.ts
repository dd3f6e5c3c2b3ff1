import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { seededBytes } from '../testing/fixtures';
import { zstdCodec } from '../codecs/zstd.codec';
import { poolWorkerEntry } from './pool-worker-entry';
import { toWire } from './wire';
import { WorkerPool } from './worker-pool';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const zstdDecompress = (frame: Buffer): Buffer => {
  const out = Buffer.alloc(8 << 20);
  return out.subarray(0, zstdCodec.decompressWhole!(frame, out));
};

describe('WorkerPool', () => {
  const pool = new WorkerPool(2);
  afterAll(() => pool.close());

  it('starts its threads from pool-worker.ts beside it, through the TypeScript require hook, under jest', () => {
    expect(poolWorkerEntry()).toEqual({
      file: join(__dirname, 'pool-worker.ts'),
      execArgv: ['--require', join(__dirname, '../../../../test/contract/support/ts-require-hook.js')],
    });
  });

  it('answers with the typed module: a stream the thread does not hold is named in the refusal', async () => {
    await expect(pool.call(0, { op: 'md5.final', sid: 999 })).rejects.toThrow('no stream 999 on this worker');
  });

  it('hashes each block on a thread as node:crypto does', async () => {
    const data = seededBytes(100_000, 7);

    const hashes = await pool.sha256Blocks(data, 32768);

    expect(hashes).toEqual([0, 1, 2, 3].map((i) => sha256(data.subarray(i * 32768, (i + 1) * 32768))));
  });

  it('streams md5 on a pinned thread', async () => {
    const data = seededBytes(1 << 20, 8);
    const md5 = pool.openMd5();

    await md5.update(data.subarray(0, 300_000));
    await md5.update(data.subarray(300_000));

    expect(await md5.digest()).toBe(createHash('md5').update(data).digest('hex'));
  });

  it('compresses one zstd frame handing out whole pages, what is past them first in the next output, the rest at its end', async () => {
    // Text-like bytes that compress to an odd length per piece.
    const data = Buffer.from(Array.from({ length: 60_000 }, (_, i) => `block ${i * 7919} of ${i % 13}\n`).join(''));
    const out = Buffer.from(new SharedArrayBuffer(2 << 20));
    const zstd = await pool.zstdCompressor(1, data.length);
    const parts: Buffer[] = [];
    for (let at = 0; at < data.length; at += 256 << 10) {
      const n = await zstd.write(data.subarray(at, at + (256 << 10)), out);
      expect(n % 4096).toBe(0);
      parts.push(Buffer.from(out.subarray(0, n)));
    }
    const last = await zstd.end(out);
    parts.push(Buffer.from(out.subarray(0, last)));

    const frame = Buffer.concat(parts);
    expect(last % 4096).not.toBe(0);
    expect(zstdDecompress(frame).equals(data)).toBe(true);
  });

  it("pins a stream beside the ones still open, not where their turn falls: another job's short stream does not put two long ones on one thread", async () => {
    const fresh = new WorkerPool(2);
    try {
      const long = fresh.pin();
      fresh.pin().drop();

      const next = fresh.pin();

      expect(next.slot).not.toBe(long.slot);
    } finally {
      await fresh.close();
    }
  });

  it('sends a piece of a larger buffer as its own bytes: postMessage would clone the whole buffer behind a view', () => {
    const large = Buffer.alloc(8 << 20, 7);
    const piece = large.subarray(1 << 20, 2 << 20);

    const wire = toWire(piece) as Uint8Array;

    expect(wire.buffer.byteLength).toBe(1 << 20);
    expect(Buffer.from(wire).equals(piece)).toBe(true);
    expect(toWire(Buffer.from(new SharedArrayBuffer(16)))).toMatchObject({ off: 0, len: 16 });
  });

  it('refuses every call once a thread died, instead of posting to a dead thread and waiting forever', async () => {
    const doomed = new WorkerPool(1);
    await doomed.sha256Blocks(seededBytes(1 << 20, 1), 32768); // large enough to be hashed on the thread: it runs
    const { slots } = doomed as unknown as { slots: { worker: Worker }[] };

    await slots[0]!.worker.terminate();

    expect(doomed.usable).toBe(false);
    await expect(doomed.sha256Blocks(seededBytes(10, 1), 32768)).rejects.toThrow('a worker pool thread exited with code 1');
    await expect(doomed.sha256Blocks(seededBytes(1 << 20, 1), 32768)).rejects.toThrow('a worker pool thread exited with code 1');
    await doomed.close();
  });
});
