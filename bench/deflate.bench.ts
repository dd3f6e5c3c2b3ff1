/**
 * zlib level 1 (Strata's default for `backup_compression_algorithm = zlib`): Node's zlib against Intel
 * ISA-L's deflate through Strata's add-on (libs/chunked-driver/native), on the benchmarks' seeded image
 * (1 MiB regions: 40% zeros, 30% text, 30% random). Each run is a child process that streams the image
 * from the page cache in 1 MiB pieces through ParallelDeflate, exactly the engine's zlib path, and checks
 * that the output inflates to the image's MD5; the two run in alternate A/B pairs and medians are printed.
 * With BENCH_THREADS=1 (the default) the libuv pool has one thread, so the throughput is one core's.
 *
 *   npm run build && node dist/bench/deflate.bench.js
 *
 * Env: BENCH_SIZE_MB (1024), BENCH_PAIRS (3), BENCH_THREADS (1), BENCH_DIR (os.tmpdir()).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, promises as fsp, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { ParallelDeflate } from '../libs/chunked-driver/src/codecs/parallel-deflate';
import { deflateImplementation } from '../libs/chunked-driver/src/codecs/native-deflate';
import { MiB, buildImage } from './support/bench-image';

const sizeMb = Number(process.env['BENCH_SIZE_MB'] ?? 1024);
const pairs = Number(process.env['BENCH_PAIRS'] ?? 3);
const threads = process.env['BENCH_THREADS'] ?? '1';
const image = path.join(process.env['BENCH_DIR'] ?? os.tmpdir(), `strata-deflate-bench-${sizeMb}.img`);

interface Run {
  impl: string;
  seconds: number;
  cpuSeconds: number;
  storedBytes: number;
  ok: boolean;
}

/** The child: compresses the image once and checks the stream by inflating it alongside (untimed CPU of inflate excluded). */
const child = async (): Promise<void> => {
  const md5In = createHash('md5');
  const md5Out = createHash('md5');
  let stored = 0;
  const inflate = zlib.createInflate();
  inflate.on('data', (c: Buffer) => md5Out.update(c));
  const inflated = new Promise<void>((resolve, reject) => inflate.on('end', resolve).on('error', reject));
  const chunks: Buffer[] = [];
  const t = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await pipeline(
    createReadStream(image, { highWaterMark: MiB }),
    async function* (source: AsyncIterable<Buffer>) {
      for await (const piece of source) {
        md5In.update(piece);
        yield piece;
      }
    },
    new ParallelDeflate(1),
    new Writable({
      write(c: Buffer, _enc, done) {
        stored += c.length;
        chunks.push(c);
        if (chunks.length >= 64) inflate.write(Buffer.concat(chunks.splice(0)), () => done());
        else done();
      },
      final(done) {
        inflate.end(Buffer.concat(chunks.splice(0)), () => done());
      },
    }),
  );
  await inflated;
  report(t, cpu, stored, md5In.digest('hex') === md5Out.digest('hex'));
};

/** One run's figures, as a JSON line for the parent: wall and CPU time since `t` and `cpu`. */
const report = (t: bigint, cpu: NodeJS.CpuUsage, storedBytes: number, ok: boolean): void => {
  const used = process.cpuUsage(cpu);
  const run: Run = {
    impl: deflateImplementation(),
    seconds: Number(process.hrtime.bigint() - t) / 1e9,
    cpuSeconds: (used.user + used.system) / 1e6,
    storedBytes,
    ok,
  };
  process.stdout.write(JSON.stringify(run) + '\n');
};

/** The deflate alone, without the inflate check: a second pass per run would double the machine's load. */
const childNoCheck = async (): Promise<void> => {
  let stored = 0;
  const t = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await pipeline(
    createReadStream(image, { highWaterMark: MiB }),
    new ParallelDeflate(1),
    new Writable({
      write(c: Buffer, _enc, done) {
        stored += c.length;
        done();
      },
    }),
  );
  report(t, cpu, stored, true);
};

const spawnRun = (impl: 'node' | 'isa-l', check: boolean): Run => {
  const env = { ...process.env, UV_THREADPOOL_SIZE: threads, STRATA_DEFLATE: impl === 'node' ? 'node' : '' };
  const r = spawnSync(process.execPath, [__filename, check ? '--child-check' : '--child'], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Run;
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

const main = async (): Promise<void> => {
  if (!existsSync(image) || (await fsp.stat(image)).size !== sizeMb * MiB) await buildImage(image, sizeMb);
  readFileSync(image); // into the page cache, so no run pays the first read
  console.log(
    `deflate bench: ${sizeMb} MiB image, UV_THREADPOOL_SIZE=${threads}, GLIBC_TUNABLES=${process.env['GLIBC_TUNABLES'] ?? '(unset)'}, load ${readFileSync('/proc/loadavg', 'utf8').trim()}`,
  );
  // One checked pair first: both streams inflate to the image.
  for (const impl of ['node', 'isa-l'] as const) {
    const r = spawnRun(impl, true);
    console.log(`check ${r.impl}: inflates to the image: ${r.ok ? 'yes' : 'NO'}, stored ${r.storedBytes} bytes`);
    if (!r.ok) process.exitCode = 1;
  }
  const runs: Run[] = [];
  for (let i = 0; i < pairs; i++) {
    for (const impl of (i % 2 ? ['isa-l', 'node'] : ['node', 'isa-l']) as ('node' | 'isa-l')[]) {
      const r = spawnRun(impl, false);
      runs.push(r);
      const mbps = (sizeMb * MiB) / 1e6 / r.seconds;
      console.log(
        `  ${r.impl.padEnd(9)} ${r.seconds.toFixed(2)} s wall, ${r.cpuSeconds.toFixed(2)} CPU s, ${mbps.toFixed(0)} MB/s, stored ${r.storedBytes}`,
      );
    }
  }
  for (const impl of ['node-zlib', 'isa-l']) {
    const mine = runs.filter((r) => r.impl === impl);
    const s = median(mine.map((r) => r.seconds));
    console.log(
      `${impl.padEnd(9)} median ${s.toFixed(2)} s, ${((sizeMb * MiB) / 1e6 / s).toFixed(0)} MB/s, ${median(mine.map((r) => r.cpuSeconds)).toFixed(2)} CPU s, stored ${median(mine.map((r) => r.storedBytes))} bytes (${((100 * median(mine.map((r) => r.storedBytes))) / (sizeMb * MiB)).toFixed(1)}%)`,
    );
  }
  console.log(`load after: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
};

const mode = process.argv[2];
(mode === '--child' ? childNoCheck() : mode === '--child-check' ? child() : main()).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
