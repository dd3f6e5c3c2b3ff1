import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getFrameContentSize } from 'zstd-napi/binding';
import { UnsupportedCompression } from '../errors';
import { WorkerPool } from '../pool/worker-pool';
import { seededBytes, textBytes } from '../testing/fixtures';
import { codecForRecorded, codecNamed } from './codec-registry';

const collect = async (input: Buffer[], transform: Transform): Promise<Buffer> => {
  const out: Buffer[] = [];
  await pipeline(Readable.from(input), transform, async (source: AsyncIterable<Buffer>) => {
    for await (const c of source) out.push(c);
  });
  return Buffer.concat(out);
};

const pieces = (b: Buffer, size: number): Buffer[] =>
  Array.from({ length: Math.ceil(b.length / size) }, (_, i) => b.subarray(i * size, (i + 1) * size));

describe('codecs', () => {
  const pool = new WorkerPool(1);
  afterAll(() => pool.close());
  const data = Buffer.concat([textBytes(300_000), seededBytes(100_000), Buffer.alloc(200_000)]);

  it.each(['zlib', 'bz2', 'zstd', 'none'] as const)('%s round-trips data written in pieces', async (name) => {
    const codec = codecNamed(name);
    const stored = await collect(pieces(data, 65536), codec.compressor({ level: name === 'bz2' ? 9 : 1, sizeBytes: data.length, pool }));

    const back = await collect(pieces(stored, 10_000), codec.decompressor(pool));

    expect(back.equals(data)).toBe(true);
  });

  describe.each(['zlib', 'zstd'] as const)('%s compressWhole (small objects, on the calling thread)', (name) => {
    const small = data.subarray(250_000, 330_000); // text, random and zeros
    const codec = codecNamed(name);

    it('writes the stored form into the room it is given, the same bytes as without it', async () => {
      const room = Buffer.from(new SharedArrayBuffer(2 * small.length));

      const inRoom = await codec.compressWhole!(small, 1, room);

      expect(inRoom.buffer).toBe(room.buffer);
      expect(inRoom.equals(await codec.compressWhole!(small, 1))).toBe(true);
      const back = Buffer.alloc(small.length);
      expect(codec.decompressWhole!(inRoom, back)).toBe(small.length);
      expect(back.equals(small)).toBe(true);
    });

    it('leaves a room too small alone and returns a buffer of its own', async () => {
      const room = Buffer.alloc(16, 0xee);

      const stored = await codec.compressWhole!(small, 1, room);

      expect(stored.buffer).not.toBe(room.buffer);
      expect(room.equals(Buffer.alloc(16, 0xee))).toBe(true);
    });
  });

  describe.each(['zlib', 'zstd', 'none'] as const)('%s decompressWhole (small objects, on the calling thread)', (name) => {
    const small = data.subarray(250_000, 330_000); // text, random and zeros
    const stored = () => collect([small], codecNamed(name).compressor({ level: 1, sizeBytes: small.length, pool }));

    it('reads back what the compressor stored', async () => {
      const out = Buffer.alloc(small.length + 1);

      const n = codecNamed(name).decompressWhole!(await stored(), out);

      expect(n).toBe(small.length);
      expect(out.subarray(0, n).equals(small)).toBe(true);
    });

    it('throws rather than stop at the room it is given', async () => {
      const bytes = await stored();
      expect(() => codecNamed(name).decompressWhole!(bytes, Buffer.alloc(small.length - 1))).toThrow();
    });

    if (name !== 'none')
      it('throws on stored bytes that are cut short', async () => {
        const bytes = await stored();

        expect(() => codecNamed(name).decompressWhole!(bytes.subarray(0, bytes.length - 3), Buffer.alloc(small.length + 1))).toThrow();
      });
  });

  it('writes zstd frames that carry the content size', async () => {
    const stored = await collect(pieces(data, 65536), codecNamed('zstd').compressor({ level: 1, sizeBytes: data.length, pool }));

    expect(getFrameContentSize(stored)).toBe(data.length);
  });

  it('writes zlib streams (RFC 1950), which Cinder also reads under the name gzip', async () => {
    const stored = await collect([data], codecNamed('zlib').compressor({ level: 1, sizeBytes: data.length, pool }));

    expect(stored[0]).toBe(0x78);
    expect(codecForRecorded('gzip')).toBe(codecNamed('zlib'));
  });

  it('writes standard bzip2 streams', async () => {
    const stored = await collect([data], codecNamed('bz2').compressor({ level: 9, sizeBytes: data.length, pool }));

    expect(stored.subarray(0, 4).toString('latin1')).toBe('BZh9');
  });

  it('bounds zstd decompression output, so a bomb of zeros streams', async () => {
    const zeros = Buffer.alloc(64 << 20);
    const stored = await collect([zeros], codecNamed('zstd').compressor({ level: 1, sizeBytes: zeros.length, pool }));
    let largest = 0;
    let total = 0;

    await pipeline(Readable.from([stored]), codecNamed('zstd').decompressor(pool), async (source: AsyncIterable<Buffer>) => {
      for await (const c of source) {
        largest = Math.max(largest, c.length);
        total += c.length;
      }
    });

    expect(total).toBe(zeros.length);
    expect(largest).toBeLessThanOrEqual(4 << 20);
  });

  it('rejects a corrupted bzip2 stream', async () => {
    await expect(collect([Buffer.from('BZh9 not really')], codecNamed('bz2').decompressor(pool))).rejects.toThrow(/bzip2/);
  });

  it('refuses a recorded compression it does not know', () => {
    expect(() => codecForRecorded('lz4')).toThrow(new UnsupportedCompression('lz4'));
  });
});
