/**
 * Whether a backup request costs more as its project's and its volume's history grows: the built service
 * on its embedded defaults (quotas unlimited), one managed 1 MiB volume, BENCH_BACKUPS (2,000) full
 * backups of it one after another through the API. Every window of BENCH_WINDOW (250) prints the median
 * and p99 of the POST and of request → `available` (polled every 2 ms). Each backup adds two events to
 * the project's quota stream and two to the volume's, which every request reads; the target is that the
 * last window's median is within 1.5× the first's (issue 21: a small backup request → `available` is a
 * cost that must not grow).
 *
 *   npm run bench:request-growth      BENCH_BACKUPS=500 npm run bench:request-growth
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort, loadavg, quantile, Server } from './support/service-process';

const backups = Number(process.env.BENCH_BACKUPS ?? 2000);
const window = Number(process.env.BENCH_WINDOW ?? 250);
// Whole windows only: a first and a last window to compare, none cut short.
if (!Number.isInteger(window) || window < 1 || !Number.isInteger(backups) || backups < 2 * window || backups % window !== 0)
  throw new RangeError(`BENCH_BACKUPS (${backups}) must be a multiple of BENCH_WINDOW (${window}), at least two windows`);
const GROWTH_LIMIT = 1.5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (v: number) => `${v.toFixed(1)} ms`;

const main = async () => {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'strata-bench-growth-'));
  const managed = join(dir, 'managed');
  mkdirSync(managed);
  const server = new Server(join(dir, 'state'), await freePort(), {
    STRATA_MANAGED_VOLUME_PATHS: managed,
    STRATA_QUOTA_BACKUPS: '-1',
    STRATA_QUOTA_BACKUP_GIGABYTES: '-1',
  });
  try {
    console.log(`request growth bench: ${backups} full backups of one 1 MiB volume in one project, node ${process.version}`);
    console.log(`GLIBC_TUNABLES=${process.env.GLIBC_TUNABLES ?? '(unset)'}; load average at start: ${loadavg()}`);
    await server.start();
    const source = join(managed, 'volume.img');
    writeFileSync(source, Buffer.alloc(1 << 20, 7));
    const { volume } = await server.json<{ volume: { id: string } }>('POST', '/v3/os-volume-manage', {
      volume: { host: 'strata@file', ref: { 'source-name': source }, name: 'growth' },
    });
    while ((await server.json<{ volume: { status: string } }>('GET', `/v3/volumes/${volume.id}`)).volume.status !== 'available')
      await sleep(10);

    const medians: number[] = [];
    let posts: number[] = [];
    let done: number[] = [];
    for (let n = 1; n <= backups; n++) {
      const started = performance.now();
      const { backup } = await server.json<{ backup: { id: string } }>('POST', '/v3/backups', { backup: { volume_id: volume.id } });
      posts.push(performance.now() - started);
      for (;;) {
        const { status } = (await server.json<{ backup: { status: string } }>('GET', `/v3/backups/${backup.id}`)).backup;
        if (status === 'available') break;
        if (status === 'error') throw new Error(`backup ${backup.id} ended in error`);
        await sleep(2);
      }
      done.push(performance.now() - started);
      if (n % window === 0) {
        medians.push(quantile(done, 0.5));
        console.log(
          `  backups ${n - window + 1}–${n}: POST p50 ${ms(quantile(posts, 0.5))}, p99 ${ms(quantile(posts, 0.99))}; ` +
            `request → available p50 ${ms(quantile(done, 0.5))}, p99 ${ms(quantile(done, 0.99))}`,
        );
        posts = [];
        done = [];
      }
    }
    const growth = medians[medians.length - 1]! / medians[0]!;
    console.log(`targets (load average now ${loadavg()}, GLIBC_TUNABLES ${process.env.GLIBC_TUNABLES ?? 'unset'}):`);
    console.log(
      `  ${growth <= GROWTH_LIMIT ? 'PASS' : 'MISS'}  request → available, last window's p50 / first's   ${growth.toFixed(2)}x  (<= ${GROWTH_LIMIT})`,
    );
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
