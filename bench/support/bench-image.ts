import { promises as fsp } from 'node:fs';

/**
 * The benchmarks' volume image: seeded, so every tool and every run reads the same bytes. 1 MiB regions,
 * each zeros, text or random by a seeded draw (4:3:3), the mix the performance issues were measured on.
 */
export const MiB = 1 << 20;

/** xorshift32 filling whole 32-bit words: seeded, fast, incompressible. */
export const prng = (seed: number) => {
  let x = seed >>> 0 || 1;
  const next = (): number => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  return {
    next,
    fill: (b: Buffer) => {
      const w = new Uint32Array(b.buffer, b.byteOffset, b.length >> 2);
      for (let i = 0; i < w.length; i++) w[i] = next();
    },
  };
};

const WORDS =
  'the backup volume restore chunk object block hash zlib zstd swift posix cinder strata event stream metadata of and to in is'.split(' ');

const textRegion = (rnd: ReturnType<typeof prng>, into: Buffer): void => {
  let at = 0;
  while (at < into.length) {
    const word = `${WORDS[rnd.next() % WORDS.length]}${rnd.next() % 7 === 0 ? '.\n' : ' '}`;
    at += into.write(word, at, 'latin1');
  }
};

/** `sizeMb` regions of 1 MiB; region i is zeros, text or random by a seeded draw (4:3:3). */
export const buildImage = async (file: string, sizeMb: number): Promise<void> => {
  const rnd = prng(42);
  const region = Buffer.alloc(MiB);
  const fh = await fsp.open(file, 'w');
  try {
    for (let i = 0; i < sizeMb; i++) {
      const pick = rnd.next() % 10;
      if (pick < 4) region.fill(0);
      else if (pick < 7) textRegion(rnd, region);
      else rnd.fill(region);
      await fh.write(region, 0, MiB, i * MiB);
    }
  } finally {
    await fh.close();
  }
};

/** Rewrites 1% of the `blockSize` blocks of an image of `imageBytes` with random data; returns how many. */
export const changeOnePercent = async (file: string, imageBytes: number, blockSize: number): Promise<number> => {
  const rnd = prng(7);
  const blocks = imageBytes / blockSize;
  const block = Buffer.alloc(blockSize);
  const fh = await fsp.open(file, 'r+');
  const count = Math.floor(blocks / 100);
  try {
    for (let i = 0; i < count; i++) {
      rnd.fill(block);
      await fh.write(block, 0, blockSize, (rnd.next() % blocks) * blockSize);
    }
  } finally {
    await fh.close();
  }
  return count;
};
