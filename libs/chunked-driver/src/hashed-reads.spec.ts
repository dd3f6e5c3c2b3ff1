import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { DirectReads } from './direct-reads';
import { hashStretches, readHashedPieces } from './hashed-reads';
import { BufferRing } from './pool/buffer-ring';
import { WorkerPool } from './pool/worker-pool';
import { seededBytes, tempDir } from './testing/fixtures';

const BLOCK = 32 * 1024;
/** 20 MiB and a short last block: three 8 MiB stretches, the last one partial. */
const data = seededBytes(20 * 1024 * 1024 + 1000, 7);
const expectedHashes = (bytes: Buffer): string[] =>
  Array.from({ length: Math.ceil(bytes.length / BLOCK) }, (_, i) =>
    createHash('sha256')
      .update(bytes.subarray(i * BLOCK, (i + 1) * BLOCK))
      .digest('hex'),
  );

describe('reads done on the worker pool', () => {
  let pool: WorkerPool;
  let dir: { dir: string; cleanup: () => Promise<void> };
  let handle: fsp.FileHandle;
  let file: string;
  beforeAll(async () => {
    pool = new WorkerPool(2);
    dir = await tempDir();
    file = path.join(dir.dir, 'volume.img');
    await fsp.writeFile(file, data);
    handle = await fsp.open(file, 'r');
  });
  afterAll(async () => {
    await handle.close();
    await pool.close();
    await dir.cleanup();
  });

  it('hashStretches gives every block hash of the range, in order', async () => {
    const hashes: string[] = [];
    const stretches: number[] = [];
    for await (const s of hashStretches({ fd: handle.fd, pool, blockSizeBytes: BLOCK }, 0, data.length)) {
      stretches.push(s.offsetBytes);
      hashes.push(...s.sha256s);
    }

    expect(hashes).toEqual(expectedHashes(data));
    expect(stretches).toEqual([0, 8 << 20, 16 << 20]);
  });

  it('readHashedPieces hands out the bytes of the range with their block hashes, piece by piece', async () => {
    const ring = new BufferRing(4, 1 << 20);
    const from = 3 * BLOCK;
    const length = 5 * 1024 * 1024;
    const parts: Buffer[] = [];
    const hashes: string[] = [];
    for await (const { piece, sha256s } of readHashedPieces({ fd: handle.fd, ring, pool, blockSizeBytes: BLOCK }, from, length)) {
      parts.push(Buffer.from(piece));
      hashes.push(...sha256s);
      ring.release(piece);
    }

    expect(Buffer.concat(parts).equals(data.subarray(from, from + length))).toBe(true);
    expect(hashes).toEqual(expectedHashes(data.subarray(from, from + length)));
  });

  it('readHashedPieces with direct reads hands out the same bytes and hashes, the short last piece read by a worker', async () => {
    const direct = (await DirectReads.open(file, handle))!;
    expect(direct).not.toBeNull();
    const reads = jest.spyOn(direct, 'read');
    const sent = jest.spyOn(pool, 'readPiece');
    const ring = new BufferRing(4, 1 << 20, 'aligned');
    const parts: Buffer[] = [];
    const hashes: string[] = [];
    try {
      for await (const { piece, sha256s } of readHashedPieces(
        { fd: handle.fd, direct, ring, pool, blockSizeBytes: BLOCK },
        0,
        data.length,
      )) {
        parts.push(Buffer.from(piece));
        hashes.push(...sha256s);
        ring.release(piece);
      }
    } finally {
      await direct.close();
    }

    expect(Buffer.concat(parts).equals(data)).toBe(true);
    expect(hashes).toEqual(expectedHashes(data));
    // 20 whole MiB directly; the last 1000 bytes, less than a page, go through the page cache on a worker.
    expect((await Promise.all(reads.mock.results.map((r) => r.value as Promise<boolean>))).filter((done) => done)).toHaveLength(20);
    expect(sent.mock.calls.map(([, , length, position]) => [length, position])).toEqual([[1000, 20 << 20]]);
    sent.mockRestore();
  });

  it('fails naming the byte where the volume ended earlier than promised', async () => {
    const read = async () => {
      for await (const _ of hashStretches({ fd: handle.fd, pool, blockSizeBytes: BLOCK }, 0, data.length + BLOCK)) {
        /* drain */
      }
    };

    await expect(read()).rejects.toThrow(`unexpected end of volume at byte ${data.length}`);
  });

  it('stops before the next stretch once the signal is aborted', async () => {
    const controller = new AbortController();
    const read = async () => {
      for await (const _ of hashStretches({ fd: handle.fd, pool, blockSizeBytes: BLOCK, signal: controller.signal }, 0, data.length))
        controller.abort();
    };

    await expect(read()).rejects.toThrow(/cancel/i);
  });
});
