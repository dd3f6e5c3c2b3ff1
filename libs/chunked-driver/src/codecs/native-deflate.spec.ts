import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { seededBytes, textBytes } from '../testing/fixtures';
import { adler32 } from './adler32';
import { loadNativeDeflate, NATIVE_DEFLATE_PATHS, type NativeDeflate } from './native-deflate';
import type * as ParallelDeflateModule from './parallel-deflate';

const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);
const zlibStream = (body: Buffer, adler: number): Buffer => {
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(adler, 0);
  return Buffer.concat([Buffer.from([0x78, 0x01]), body, FINAL_EMPTY_BLOCK, trailer]);
};

const kinds: Record<string, (n: number) => Buffer> = {
  random: (n) => seededBytes(n, 17),
  zeros: (n) => Buffer.alloc(n),
  text: (n) => textBytes(n),
};
/** Around deflate's 64 KiB stored-block limit, ISA-L's internal 64 KiB blocks, and the 1 MiB pieces. */
const SIZES = [0, 1, 1000, 65_535, 65_536, 65_537, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 5];

const deflateStream = async (mod: typeof ParallelDeflateModule, data: Buffer, pieceBytes: number): Promise<Buffer> => {
  const pieces = Array.from({ length: Math.ceil(data.length / pieceBytes) }, (_, i) => data.subarray(i * pieceBytes, (i + 1) * pieceBytes));
  const out: Buffer[] = [];
  await pipeline(Readable.from(pieces), new mod.ParallelDeflate(1), async (source: AsyncIterable<Buffer>) => {
    for await (const c of source) out.push(c);
  });
  return Buffer.concat(out);
};

/** The module graph afresh with STRATA_DEFLATE set as given, so the add-on is (or is not) loaded anew. */
const withDeflate = async (value: string | undefined): Promise<{ pd: typeof ParallelDeflateModule; impl: string }> => {
  const before = process.env.STRATA_DEFLATE;
  if (value === undefined) delete process.env.STRATA_DEFLATE;
  else process.env.STRATA_DEFLATE = value;
  try {
    let result: { pd: typeof ParallelDeflateModule; impl: string } | undefined;
    await jest.isolateModulesAsync(async () => {
      const pd = await import('./parallel-deflate');
      const nd = await import('./native-deflate');
      result = { pd, impl: nd.deflateImplementation() };
    });
    return result!;
  } finally {
    if (before === undefined) delete process.env.STRATA_DEFLATE;
    else process.env.STRATA_DEFLATE = before;
  }
};

describe('the ISA-L deflate add-on', () => {
  // Set-up builds it (scripts/build-native.sh, with libisal-dev from the dependency scripts): a missing build is a set-up fault here.
  const native = loadNativeDeflate(NATIVE_DEFLATE_PATHS) as NativeDeflate; // whatever STRATA_DEFLATE says
  it('is built and loads', () => {
    expect(native).not.toBeNull();
  });

  describe.each(Object.keys(kinds))('on %s bytes', (kind) => {
    it.each(SIZES)('deflates %i bytes into a piece that inflates to them, with their Adler-32', async (size) => {
      const data = kinds[kind]!(size);

      const { out, adler } = await native.deflate(data, 1, true);

      expect(out).not.toBeNull();
      expect(adler).toBe(adler32(data));
      expect(zlib.inflateSync(zlibStream(out!, adler)).equals(data)).toBe(true);
    });
  });

  it('writes pieces that concatenate into one stream (not final, byte-aligned, no back-references across)', async () => {
    const data = Buffer.concat([textBytes(700_000), Buffer.alloc(300_000), seededBytes(500_000, 3), textBytes(123_457)]);
    const cuts = [0, 65_536, 400_001, 1_000_000, 1_000_000, 1_500_000, data.length];

    const parts = await Promise.all(cuts.slice(1).map((end, i) => native.deflate(data.subarray(cuts[i], end), 1, false)));

    expect(zlib.inflateSync(zlibStream(Buffer.concat(parts.map((p) => p.out!)), adler32(data))).equals(data)).toBe(true);
  });

  it('compresses zeros and text well (level 1)', async () => {
    const zeros = (await native.deflate(Buffer.alloc(1 << 20), 1, false)).out!;
    const text = (await native.deflate(textBytes(1 << 20), 1, false)).out!;

    expect(zeros.length).toBeLessThan(8 << 10);
    expect(text.length).toBeLessThan((1 << 20) / 2);
  });

  it('continues an Adler-32 across pieces as over the whole', () => {
    const data = seededBytes(100_000, 3);

    expect(native.adler32(data.subarray(60_000), native.adler32(data.subarray(0, 60_000), 1))).toBe(adler32(data));
  });

  it('refuses what is not a buffer and levels it does not have', () => {
    expect(() => native.deflate('x' as unknown as Buffer, 1, false)).toThrow(/input: Buffer/);
    expect(() => native.deflate(Buffer.alloc(1), 4, false)).toThrow(/levels are 0-3/);
  });
});

describe("the add-on's inflate (zlib streams, step by step into the caller's buffers)", () => {
  const native = loadNativeDeflate(NATIVE_DEFLATE_PATHS) as NativeDeflate;
  const data = Buffer.concat([textBytes(3 << 20), seededBytes(1 << 20, 5), Buffer.alloc(2 << 20), textBytes(12_345)]);
  const stored = zlib.deflateSync(data, { level: 6 }); // Node's zlib, as Cinder's zlib.compress writes it

  /** Inflates `input` in steps of `inSize` into one reused output buffer of `outSize` (shared memory, as a restore's ring). */
  const inflateInSteps = async (input: Buffer, inSize: number, outSize: number) => {
    const stream = native.inflateOpen!();
    const out = Buffer.from(new SharedArrayBuffer(outSize));
    const parts: Buffer[] = [];
    let at = 0;
    for (let steps = 0; ; steps++) {
      const step = await native.inflateStep!(stream, input.subarray(at, at + inSize), out);
      at += step.consumed;
      parts.push(Buffer.from(out.subarray(0, step.produced)));
      if (step.finished || (step.consumed === 0 && step.produced === 0) || steps > 100_000)
        return { bytes: Buffer.concat(parts), finished: step.finished, at };
    }
  };

  it.each([
    [1 << 20, 1 << 20],
    [65_536, 4 << 20],
    [777, 12_345],
    [stored.length, data.length],
  ])('gives back the bytes with input in steps of %i and output in buffers of %i', async (inSize, outSize) => {
    const { bytes, finished, at } = await inflateInSteps(stored, inSize, outSize);

    expect(finished).toBe(true);
    expect(at).toBe(stored.length);
    expect(bytes.equals(data)).toBe(true);
  });

  it('rejects a wrong Adler-32, a damaged header and data after the end', async () => {
    const wrongSum = Buffer.from(stored);
    wrongSum[wrongSum.length - 1]! ^= 1;
    const wrongHeader = Buffer.from(stored);
    wrongHeader[0] = 0x77; // not deflate (CM 7)

    await expect(inflateInSteps(wrongSum, 1 << 20, 1 << 20)).rejects.toThrow('incorrect data check');
    await expect(inflateInSteps(wrongHeader, 1 << 20, 1 << 20)).rejects.toThrow('unknown compression method');
    await expect(inflateInSteps(Buffer.concat([stored, Buffer.from('junk')]), 1 << 20, 8 << 20)).rejects.toThrow('data after the end');
  });

  it('never says finished for a stream cut short', async () => {
    const { bytes, finished } = await inflateInSteps(stored.subarray(0, stored.length - 3), 1 << 20, 1 << 20);

    expect(finished).toBe(false);
    expect(bytes.equals(data)).toBe(true); // every byte came out; only the checksum was missing
  });

  it('refuses a second step of a stream before the first settled', async () => {
    const stream = native.inflateOpen!();
    const first = native.inflateStep!(stream, stored, Buffer.alloc(data.length));

    expect(() => native.inflateStep!(stream, stored, Buffer.alloc(16))).toThrow(/has not settled/);
    await first;
  });
});

describe('ParallelDeflate with and without the add-on', () => {
  const data = Buffer.concat([textBytes(3 << 20), seededBytes(1 << 20, 5), Buffer.alloc(2 << 20), textBytes(12_345)]);

  it.each([
    ['isa-l', undefined],
    ['node-zlib', 'node'],
  ])('uses %s and writes one zlib stream of the input, whatever the piece size', async (impl, env) => {
    const { pd, impl: used } = await withDeflate(env);

    expect(used).toBe(impl);
    for (const pieceBytes of [1 << 20, 77_777]) expect(zlib.inflateSync(await deflateStream(pd, data, pieceBytes)).equals(data)).toBe(true);
    expect(zlib.inflateSync(await deflateStream(pd, Buffer.alloc(0), 1 << 20)).length).toBe(0);
    expect(zlib.inflateSync(await pd.deflateWhole(textBytes(32_768), 1)).equals(textBytes(32_768))).toBe(true);
  });

  it('falls back to Node zlib where the add-on is absent or does not load', () => {
    expect(loadNativeDeflate(['/nonexistent/strata_deflate.node', __filename])).toBeNull();
  });
});
