/**
 * Chunked-driver throughput: full backup, 1%-changed incremental and restore of a seeded image
 * (40% zeros / 30% text / 30% random, in 1 MiB regions), for zstd level 1 and zlib level 1.
 *
 *   npm run bench:driver                       # 1 GiB
 *   BENCH_SIZE_MB=256 npm run bench:driver
 *   GLIBC_TUNABLES=glibc.malloc.hugetlb=1 npm run bench:driver
 *
 * Env: BENCH_SIZE_MB (1024), BENCH_OBJECT_MB (POSIX default 1999994880 bytes), BENCH_CODECS (zstd,zlib),
 * BENCH_WORKERS (2), BENCH_DIR (os.tmpdir()).
 */
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  POSIX_DEFAULTS, PosixRepository, WorkerPool, defaultPosixContainer, posixObjectPrefix, readSha256File, runBackup, runRestore,
} from '@strata/chunked-driver';

const MiB = 1 << 20;
const sizeMb = Number(process.env['BENCH_SIZE_MB'] ?? 1024);
const objectSizeBytes = process.env['BENCH_OBJECT_MB'] ? Number(process.env['BENCH_OBJECT_MB']) * MiB : POSIX_DEFAULTS.objectSizeBytes;
const codecs = (process.env['BENCH_CODECS'] ?? 'zstd,zlib').split(',');
const workers = Number(process.env['BENCH_WORKERS'] ?? 2);
const blockSize = POSIX_DEFAULTS.shaBlockSizeBytes;

/** xorshift32 filling whole 32-bit words: seeded, fast, incompressible. */
const prng = (seed: number) => {
  let x = seed >>> 0 || 1;
  const next = (): number => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
  return { next, fill: (b: Buffer) => { const w = new Uint32Array(b.buffer, b.byteOffset, b.length >> 2); for (let i = 0; i < w.length; i++) w[i] = next(); } };
};

const WORDS = 'the backup volume restore chunk object block hash zlib zstd swift posix cinder strata event stream metadata of and to in is'.split(' ');

const buildImage = async (file: string): Promise<void> => {
  const rnd = prng(42);
  const region = Buffer.alloc(MiB);
  const fh = await fsp.open(file, 'w');
  for (let i = 0; i < sizeMb; i++) {
    const pick = rnd.next() % 10;
    if (pick < 4) region.fill(0);
    else if (pick < 7) {
      let s = '';
      while (s.length < MiB) s += `${WORDS[rnd.next() % WORDS.length]}${rnd.next() % 7 === 0 ? '.\n' : ' '}`;
      region.write(s.slice(0, MiB), 'latin1');
    } else rnd.fill(region);
    await fh.write(region, 0, MiB, i * MiB);
  }
  await fh.close();
};

/** Rewrites 1% of the 32 KiB blocks with random data. */
const changeOnePercent = async (file: string): Promise<number> => {
  const rnd = prng(7);
  const blocks = (sizeMb * MiB) / blockSize;
  const block = Buffer.alloc(blockSize);
  const fh = await fsp.open(file, 'r+');
  const count = Math.floor(blocks / 100);
  for (let i = 0; i < count; i++) {
    rnd.fill(block);
    await fh.write(block, 0, blockSize, (rnd.next() % blocks) * blockSize);
  }
  await fh.close();
  return count;
};

const dirBytes = async (dir: string): Promise<number> => {
  let total = 0;
  for (const e of await fsp.readdir(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) total += (await fsp.stat(path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))).size;
  return total;
};

const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t = process.hrtime.bigint();
  const r = await fn();
  return [r, Number(process.hrtime.bigint() - t) / 1e9];
};

const mbps = (seconds: number): string => `${((sizeMb * MiB) / 1e6 / seconds).toFixed(0)} MB/s`;
const rssMb = (): string => `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`;

const main = async (): Promise<void> => {
  const work = await fsp.mkdtemp(path.join(process.env['BENCH_DIR'] ?? os.tmpdir(), 'strata-bench-'));
  const image = path.join(work, 'volume.img');
  const pristine = path.join(work, 'pristine.img');
  console.log(`chunked-driver bench: ${sizeMb} MiB image, object size ${objectSizeBytes} B, ${workers} workers, ` +
    `GLIBC_TUNABLES=${process.env['GLIBC_TUNABLES'] ?? '(unset)'}, node ${process.version}, ${os.cpus().length} cpus`);
  await buildImage(pristine);
  const pool = new WorkerPool(workers);
  try {
    for (const compression of codecs) {
      await fsp.copyFile(pristine, image);
      const root = path.join(work, `repo-${compression}`);
      await fsp.mkdir(root);
      const repository = new PosixRepository(root);
      const options = { objectSizeBytes, shaBlockSizeBytes: blockSize, compression, compressionLevel: 1, workers };
      const backup = async (n: number, parent: Awaited<ReturnType<typeof readSha256File>> | null) => {
        const backupId = `bbbbbbbb-1111-4222-8333-${String(n).padStart(12, '0')}`;
        const container = defaultPosixContainer(backupId);
        const prefix = posixObjectPrefix({ volumeId: 'v', backupId, at: new Date() });
        const [result, seconds] = await timed(() => runBackup({
          repository, container, prefix, source: { path: image }, pool, parent, options,
          header: { backupId, volumeId: 'v', name: null, description: null, createdAt: new Date().toISOString(), volumeMeta: null, parentId: null },
        }));
        return { at: { container, prefix }, result, seconds, stored: await dirBytes(path.join(root, container)) };
      };
      const full = await backup(1, null);
      console.log(`${compression} full:        ${full.seconds.toFixed(2)} s  ${mbps(full.seconds)}  stored ${(full.stored / 1e6).toFixed(1)} MB  ` +
        `objects ${full.result.objectCount}  peak RSS ${rssMb()}`);
      const changed = await changeOnePercent(image);
      const incr = await backup(2, await readSha256File(repository, full.at.container, full.at.prefix));
      console.log(`${compression} incremental: ${incr.seconds.toFixed(2)} s  ${mbps(incr.seconds)}  stored ${(incr.stored / 1e6).toFixed(1)} MB  ` +
        `objects ${incr.result.objectCount} (${changed} blocks rewritten)  peak RSS ${rssMb()}`);
      const target = path.join(work, `restored-${compression}.img`);
      const [, restoreSeconds] = await timed(() =>
        runRestore({ repository, pool, chain: [full.at, incr.at], target: { path: target, isNew: true } }));
      console.log(`${compression} restore:     ${restoreSeconds.toFixed(2)} s  ${mbps(restoreSeconds)} (verified, fsync'ed)  peak RSS ${rssMb()}`);
      await fsp.rm(root, { recursive: true, force: true });
      await fsp.rm(target, { force: true });
    }
  } finally {
    await pool.close();
    await fsp.rm(work, { recursive: true, force: true });
  }
};

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
