import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { seededBytes, textBytes } from '../testing/fixtures';
import { adler32 } from './adler32';
import { deflateWhole, ParallelDeflate, zlibHeader } from './parallel-deflate';

const deflateInPieces = async (data: Buffer, pieceBytes: number, level = 1): Promise<Buffer> => {
  const pieces = Array.from({ length: Math.ceil(data.length / pieceBytes) }, (_, i) => data.subarray(i * pieceBytes, (i + 1) * pieceBytes));
  const out: Buffer[] = [];
  await pipeline(Readable.from(pieces), new ParallelDeflate(level), async (source: AsyncIterable<Buffer>) => {
    for await (const c of source) out.push(c);
  });
  return Buffer.concat(out);
};

const mixed = (): Buffer => Buffer.concat([textBytes(3 << 20), seededBytes(1 << 20, 5), Buffer.alloc(2 << 20), textBytes(12345)]);

describe('adler32', () => {
  it.each([[''], ['a'], ['Wikipedia']])("gives zlib's checksum of %j", (text) => {
    const stream = zlib.deflateSync(Buffer.from(text));
    const expected = stream.readUInt32BE(stream.length - 4);

    expect(adler32(Buffer.from(text))).toBe(expected);
  });

  it('continues across pieces as over the whole', () => {
    const data = seededBytes(100_000, 3);

    expect(adler32(data.subarray(60_000), adler32(data.subarray(0, 60_000)))).toBe(adler32(data));
  });
});

describe('ParallelDeflate', () => {
  it('writes one zlib stream that inflates to the input', async () => {
    const data = mixed();

    const stored = await deflateInPieces(data, 1 << 20);

    expect(zlib.inflateSync(stored).equals(data)).toBe(true);
    expect(stored.length).toBeLessThan(data.length / 2);
  });

  it('inflates the same whatever the piece size', async () => {
    const data = mixed();

    const stored = await deflateInPieces(data, 77_777);

    expect(zlib.inflateSync(stored).equals(data)).toBe(true);
  });

  it('stores random pieces nearly as they are instead of spending deflate on them', async () => {
    const data = seededBytes(3 << 20, 11);

    const stored = await deflateInPieces(data, 1 << 20);

    expect(zlib.inflateSync(stored).equals(data)).toBe(true);
    expect(stored.length).toBeLessThan(data.length + 1024);
  });

  it('keeps objects deflated at the same time apart (the deflate streams are shared and reused)', async () => {
    const a = mixed();
    const b = Buffer.concat([seededBytes(2 << 20, 7), textBytes(3 << 20)]);

    const [sa, sb, sa2] = await Promise.all([deflateInPieces(a, 1 << 20), deflateInPieces(b, 300_000), deflateInPieces(a, 1 << 20, 6)]);

    expect(zlib.inflateSync(sa).equals(a)).toBe(true);
    expect(zlib.inflateSync(sb).equals(b)).toBe(true);
    expect(zlib.inflateSync(sa2).equals(a)).toBe(true);
    expect((await deflateInPieces(a, 1 << 20)).equals(sa)).toBe(true);
  });

  it('starts with a valid zlib header for each level', () => {
    for (const level of [0, 1, 5, 6, 9]) expect(zlibHeader(level).readUInt16BE(0) % 31).toBe(0);
  });

  it("is read by Python's zlib.decompress, as Cinder reads it", async () => {
    const data = mixed();
    const stored = await deflateInPieces(data, 1 << 20);

    const py = spawnSync(
      '/usr/bin/python3',
      ['-c', 'import sys, zlib, hashlib; print(hashlib.md5(zlib.decompress(sys.stdin.buffer.read())).hexdigest())'],
      { input: stored, encoding: 'utf8' },
    );

    expect(py.stdout.trim()).toBe(createHash('md5').update(data).digest('hex'));
  });
});

describe('deflateWhole (small objects)', () => {
  it('gives one zlib stream of a compressible object', async () => {
    const data = Buffer.concat([textBytes(20_000), Buffer.alloc(12_768)]);

    const stored = await deflateWhole(data, 1);

    expect(stored.length).toBeLessThan(data.length / 2);
    expect(zlib.inflateSync(stored).equals(data)).toBe(true);
  });

  it('gives the same bytes for the same input, whichever pooled stream deflates it', async () => {
    const data = textBytes(32_768);

    const outputs = await Promise.all(Array.from({ length: 6 }, () => deflateWhole(data, 1)));

    for (const out of outputs) expect(out.equals(outputs[0]!)).toBe(true);
  });

  it('hands back random bytes as they are, to be stored raw', async () => {
    const data = seededBytes(32_768, 11);

    expect(await deflateWhole(data, 1)).toBe(data);
  });

  it('hands back the input at level 0', async () => {
    const data = textBytes(32_768);

    expect(await deflateWhole(data, 0)).toBe(data);
  });
});
