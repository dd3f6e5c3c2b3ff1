/**
 * Chunked-driver throughput against this machine's own ceilings, measured in the same run (issue 3, item 8).
 *
 * It builds a seeded image (1 MiB regions: 40% zeros, 30% text, 30% random), measures three ceilings over
 * it (sequential read; SHA-256 of every 32 KiB block on all cores; writing the image size with fsync),
 * then times a full backup with each codec, an incremental after 1% of the blocks changed, and a restore
 * of each chain. Finally a child process backs up a 4 GiB volume and reports its peak RSS. Every target
 * is printed with PASS or MISS. MB = 10^6 bytes, over the image size.
 *
 *   npm run bench:driver                                       # 1 GiB
 *   GLIBC_TUNABLES=glibc.malloc.hugetlb=1 npm run bench:driver
 *
 * Env: BENCH_SIZE_MB (1024), BENCH_MEMORY_GB (4; 0 skips), BENCH_OBJECT_MB (POSIX default 1999994880 bytes),
 * BENCH_CODECS (none,zlib,zstd), BENCH_WORKERS (2), BENCH_DIR (os.tmpdir()).
 */
import { promises as fsp, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  type BackupLocation,
  POSIX_DEFAULTS,
  PosixRepository,
  type Sha256File,
  WorkerPool,
  defaultPosixContainer,
  posixObjectPrefix,
  readSha256File,
  runBackup,
  runRestore,
} from '@strata/chunked-driver';
import { MiB, buildImage, changeOnePercent, prng } from './support/bench-image';

const sizeMb = Number(process.env['BENCH_SIZE_MB'] ?? 1024);
const memoryGb = Number(process.env['BENCH_MEMORY_GB'] ?? 4);
const objectSizeBytes = process.env['BENCH_OBJECT_MB'] ? Number(process.env['BENCH_OBJECT_MB']) * MiB : POSIX_DEFAULTS.objectSizeBytes;
const codecs = (process.env['BENCH_CODECS'] ?? 'none,zlib,zstd').split(',');
const workers = Number(process.env['BENCH_WORKERS'] ?? 2);
const blockSize = POSIX_DEFAULTS.shaBlockSizeBytes;
const imageBytes = sizeMb * MiB;

// ---------- ceilings ----------

/** CPU seconds (all threads of this process) of the last timed() call: steadier than wall time on a shared machine. */
let lastCpuSeconds = 0;

const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const r = await fn();
  const used = process.cpuUsage(cpu);
  lastCpuSeconds = (used.user + used.system) / 1e6;
  return [r, Number(process.hrtime.bigint() - t) / 1e9];
};

const mbps = (seconds: number, bytes = imageBytes): number => bytes / 1e6 / seconds;

/**
 * A buffer that starts 2 KiB into a page. Reads from the page cache into a page-aligned buffer run into
 * 4K aliasing (see READ_BUFFER_SKEW_BYTES in libs/chunked-driver/src/pool/buffer-ring.ts) and took about
 * 4x longer here; the engine skews its buffers, so the ceilings must too, or they would understate the machine.
 */
const skewedBuffer = (bytes: number): Buffer => Buffer.alloc(bytes + 4096).subarray(2048, 2048 + bytes);

/** Reads the file once through one reused 4 MiB buffer. */
const readCeiling = async (file: string): Promise<void> => {
  const buffer = skewedBuffer(4 * MiB);
  const fh = await fsp.open(file, 'r');
  try {
    for (let pos = 0; ;) {
      const { bytesRead } = await fh.read(buffer, 0, buffer.length, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
};

/** Each thread reads its share of the file into a reused buffer and SHA-256s every block, as a backup must. */
const SHA_WORKER = String.raw`
const { workerData, parentPort } = require('node:worker_threads');
const fs = require('node:fs'); const crypto = require('node:crypto');
const { file, from, to, block } = workerData;
const buf = Buffer.alloc((1 << 20) + 4096).subarray(2048, 2048 + (1 << 20)); // skewed, as skewedBuffer
const fd = fs.openSync(file, 'r');
for (let pos = from; pos < to; ) {
  const n = fs.readSync(fd, buf, 0, Math.min(buf.length, to - pos), pos);
  for (let o = 0; o < n; o += block) crypto.createHash('sha256').update(buf.subarray(o, Math.min(o + block, n))).digest();
  pos += n;
}
fs.closeSync(fd); parentPort.postMessage('done');`;

const shaCeiling = async (file: string, threads: number): Promise<void> => {
  const share = Math.ceil(imageBytes / blockSize / threads) * blockSize;
  await Promise.all(
    Array.from(
      { length: threads },
      (_, k) =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(SHA_WORKER, {
            eval: true,
            workerData: { file, from: k * share, to: Math.min(imageBytes, (k + 1) * share), block: blockSize },
          });
          w.once('message', () => resolve());
          w.once('error', reject);
        }),
    ),
  );
};

/** Writes the image size of random (non-zero) bytes from one reused buffer, then fsyncs. */
const writeCeiling = async (file: string): Promise<void> => {
  const buffer = Buffer.alloc(4 * MiB);
  prng(3).fill(buffer);
  const fh = await fsp.open(file, 'w');
  try {
    for (let pos = 0; pos < imageBytes; pos += buffer.length) await fh.write(buffer, 0, Math.min(buffer.length, imageBytes - pos), pos);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsp.rm(file);
};

// ---------- the driver ----------

let backupCounter = 0;
const backupOnce = async (
  repository: PosixRepository,
  image: string,
  compression: string,
  parent: Sha256File | null,
  pool?: WorkerPool,
) => {
  const backupId = `bbbbbbbb-1111-4222-8333-${String(++backupCounter).padStart(12, '0')}`;
  const at: BackupLocation = {
    container: defaultPosixContainer(backupId),
    prefix: posixObjectPrefix({ volumeId: 'v', backupId, at: new Date() }),
  };
  const [result, seconds] = await timed(() =>
    runBackup({
      repository,
      ...at,
      source: { path: image },
      pool,
      parent,
      options: {
        objectSizeBytes,
        shaBlockSizeBytes: blockSize,
        compression,
        compressionLevel: compression === 'none' ? undefined : 1,
        workers,
      },
      header: {
        backupId,
        volumeId: 'v',
        name: null,
        description: null,
        createdAt: new Date().toISOString(),
        volumeMeta: null,
        parentId: null,
      },
    }),
  );
  return { at, result, seconds };
};

// ---------- peak memory, in a child process of its own ----------

const MEMORY_CHILD_FLAG = '--memory-child';

/** The child: backs up the given volume and prints its own peak RSS in bytes. */
const memoryChild = async (image: string, root: string): Promise<void> => {
  await backupOnce(new PosixRepository(root), image, 'zstd', null);
  process.stdout.write(`${process.resourceUsage().maxRSS * 1024}\n`);
};

/** A sparse volume of `memoryGb` GiB whose first part is the bench image, backed up with zstd by a fresh process. */
const peakMemory = async (work: string, image: string): Promise<{ rssBytes: number; seconds: number }> => {
  const volume = path.join(work, 'memory.img');
  const root = path.join(work, 'repo-memory');
  await fsp.mkdir(root);
  await fsp.copyFile(image, volume);
  await fsp.truncate(volume, memoryGb * 1024 * MiB);
  const [out, seconds] = await timed(async () =>
    execFileSync(process.execPath, [__filename, MEMORY_CHILD_FLAG, volume, root], { encoding: 'utf8', env: process.env }),
  );
  await fsp.rm(root, { recursive: true, force: true });
  await fsp.rm(volume, { force: true });
  return { rssBytes: Number(out.trim().split('\n').pop()), seconds };
};

// ---------- report ----------

interface Target {
  readonly what: string;
  readonly actual: string;
  readonly goal: string;
  readonly pass: boolean;
}

const row = (label: string, seconds: number, extra = ''): void =>
  console.log(
    `  ${label.padEnd(34)} ${seconds.toFixed(2).padStart(6)} s  ${mbps(seconds).toFixed(0).padStart(5)} MB/s  ` +
      `cpu ${lastCpuSeconds.toFixed(2).padStart(5)} s  ${extra}`,
  );

const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const main = async (): Promise<void> => {
  const work = await fsp.mkdtemp(path.join(process.env['BENCH_DIR'] ?? os.tmpdir(), 'strata-bench-'));
  const image = path.join(work, 'volume.img');
  const tunables = process.env['GLIBC_TUNABLES'] ?? '';
  console.log(
    `chunked-driver bench: ${sizeMb} MiB image, object size ${objectSizeBytes} B, block ${blockSize} B, ${workers} workers, ` +
      `node ${process.version}, ${os.cpus().length} cpus`,
  );
  console.log(`GLIBC_TUNABLES=${tunables || '(unset)'}: hugetlb ${/glibc\.malloc\.hugetlb=[12]/.test(tunables) ? 'SET' : 'NOT set'}`);
  console.log(`load average at start: ${loadAverage()}`);
  const targets: Target[] = [];
  const pool = new WorkerPool(workers);
  try {
    await buildImage(image, sizeMb);
    await readCeiling(image); // warm the page cache, as every backup run below reads warm

    console.log('ceilings (this machine, now):');
    const [, readS] = await timed(() => readCeiling(image));
    row('sequential read', readS);
    const [, shaS] = await timed(() => shaCeiling(image, os.cpus().length));
    row(`read + SHA-256 per block, ${os.cpus().length} threads`, shaS);
    const [, writeS] = await timed(() => writeCeiling(path.join(work, 'write-ceiling.img')));
    row('write + fsync', writeS);
    const lowest = Math.min(mbps(readS), mbps(shaS), mbps(writeS));

    const repos = new Map<string, { repository: PosixRepository; root: string; full: BackupLocation; incr?: BackupLocation }>();
    console.log('full backups:');
    for (const compression of codecs) {
      const root = path.join(work, `repo-${compression}`);
      await fsp.mkdir(root);
      const repository = new PosixRepository(root);
      const full = await backupOnce(repository, image, compression, null, pool);
      repos.set(compression, { repository, root, full: full.at });
      row(
        `full ${compression}`,
        full.seconds,
        `stored ${(full.result.bytesWritten / 1e6).toFixed(1)} MB, ${full.result.objectCount} objects`,
      );
      const r = mbps(full.seconds);
      if (compression === 'none')
        targets.push({
          what: 'full none',
          actual: `${r.toFixed(1)} MB/s`,
          goal: `>= 70% of lowest ceiling (${(0.7 * lowest).toFixed(0)} MB/s)`,
          pass: r >= 0.7 * lowest,
        });
      if (compression === 'zlib') targets.push({ what: 'full zlib', actual: `${r.toFixed(1)} MB/s`, goal: '>= 120 MB/s', pass: r >= 120 });
      if (compression === 'zstd') targets.push({ what: 'full zstd', actual: `${r.toFixed(1)} MB/s`, goal: '>= 250 MB/s', pass: r >= 250 });
    }

    const changed = await changeOnePercent(image, imageBytes, blockSize);
    console.log(`incrementals (${changed} of ${imageBytes / blockSize} blocks rewritten):`);
    for (const [compression, repo] of repos) {
      const parent = await readSha256File(repo.repository, repo.full.container, repo.full.prefix);
      const incr = await backupOnce(repo.repository, image, compression, parent, pool);
      repo.incr = incr.at;
      row(
        `incremental ${compression}`,
        incr.seconds,
        `stored ${(incr.result.bytesWritten / 1e6).toFixed(1)} MB, ${incr.result.objectCount} objects`,
      );
      targets.push({
        what: `incremental ${compression}`,
        actual: `${incr.seconds.toFixed(2)} s`,
        goal: `<= 1.5 x read+hash (${(1.5 * shaS).toFixed(2)} s)`,
        pass: incr.seconds <= 1.5 * shaS,
      });
    }

    console.log('restores (full + incremental, new sparse target, fsync, every block re-hashed):');
    for (const [compression, repo] of repos) {
      const target = path.join(work, `restored-${compression}.img`);
      const [, seconds] = await timed(() =>
        runRestore({
          repository: repo.repository,
          pool,
          chain: [repo.full, repo.incr as BackupLocation],
          target: { path: target, isNew: true },
        }),
      );
      row(`restore ${compression}`, seconds);
      if (compression === 'none')
        targets.push({
          what: 'restore none',
          actual: `${mbps(seconds).toFixed(0)} MB/s`,
          goal: `>= 60% of write ceiling (${(0.6 * mbps(writeS)).toFixed(0)} MB/s)`,
          pass: mbps(seconds) >= 0.6 * mbps(writeS),
        });
      await fsp.rm(target, { force: true });
      await fsp.rm(repo.root, { recursive: true, force: true });
    }

    if (memoryGb > 0) {
      const { rssBytes, seconds } = await peakMemory(work, image);
      console.log(`peak memory: zstd full backup of a ${memoryGb} GiB sparse volume (first ${sizeMb} MiB = the image), fresh process:`);
      console.log(`  peak RSS ${(rssBytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(2)} s`);
      targets.push({
        what: `peak RSS, ${memoryGb} GiB backup`,
        actual: `${(rssBytes / 1e6).toFixed(0)} MB`,
        goal: '< 300 MB',
        pass: rssBytes < 300e6,
      });
    }

    console.log(`targets (load average at end: ${loadAverage()}):`);
    for (const t of targets) console.log(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.what.padEnd(26)} ${t.actual.padStart(10)}   ${t.goal}`);
  } finally {
    await pool.close();
    await fsp.rm(work, { recursive: true, force: true });
  }
};

const entry = process.argv[2] === MEMORY_CHILD_FLAG ? memoryChild(process.argv[3] as string, process.argv[4] as string) : main();
entry.catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
