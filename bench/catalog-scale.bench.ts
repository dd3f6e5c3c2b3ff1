/**
 * `npm run bench:catalog-scale`: the service on a large catalog, over HTTP, as the clients see it. For
 * each size in BENCH_SIZES (backups, default `10000,100000`; add `128000` for about a million events):
 * seeds that history (catalog-history.ts: 1,000 volumes over 20 projects, chains, failures, deletions),
 * exports it to a file, starts the built service (`dist/apps/strata/src/main.js`, embedded worker on) in
 * an empty state directory and then measures:
 * - the import (`POST /strata/v1/catalog/import`): time and events/s;
 * - p50/p99 of every list, filter, show, audit, `/metrics` and `/readyz` route, BENCH_REQUESTS
 *   sequential requests (default 100) or more, up to 1,000 while they take under 2 s, and BENCH_REQUESTS
 *   again from 10 concurrent clients; `as_of` likewise (BENCH_AS_OF_REQUESTS, default 3), at a time early in the
 *   history and at one after its end (every backup then live: the longest answer), with the 503s counted.
 *   Each route's first request after the start (its statement prepared, its code not yet
 *   compiled) is timed on its own, in the `first` column, and so is the slowest of the BENCH_WARM_UP
 *   requests after it (default 100): neither counts in the quantiles. With 40 requests a p99 is the
 *   slowest of them, and that was the first one (at 1M events a 1,000-row page's first request took
 *   63 ms, the rest p50 17 ms); with 100 it is the slowest but one, and a name lookup's then fell in its
 *   first two seconds of requests, while V8 still compiled its code (docs/performance.md);
 * - the latency of a show and of `/readyz` sent while a rebuild runs, and while an `as_of` runs;
 * - the rebuild time, the cold start (catalog file deleted) until `/readyz` answers 200 (skipped with
 *   BENCH_SKIP_COLD_START=1);
 * - the server's RSS idle and peak (VmHWM), and the sizes on disk.
 * Prints GLIBC_TUNABLES and the load average with the figures.
 *
 *   npm run bench:catalog-scale      BENCH_SIZES=10000 BENCH_REQUESTS=20 npm run bench:catalog-scale
 */
import { exportHistory } from '@strata/catalog';
import { openSqliteEventStore } from '@strata/event-store';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { request } from 'node:http';
import { seedCatalogHistory } from './catalog-history';
import { ADMIN, freePort, loadavg, quantile, Server } from './support/service-process';

const sizes = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const requests = Number(process.env.BENCH_REQUESTS ?? 100);
const asOfRequests = Number(process.env.BENCH_AS_OF_REQUESTS ?? 3);
const CLIENTS = 10;
const VOLUMES = 1000;
const PROJECTS = 20;

const ms = (v: number) => `${v.toFixed(1)} ms`;
const uuid = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const sizeOf = (path: string) => [path, `${path}-wal`].filter(existsSync).reduce((n, p) => n + statSync(p).size, 0);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** POSTs a file as NDJSON and waits for the answer however long it takes. */
const postFile = (url: string, file: string) =>
  new Promise<{ status: number; body: string }>((resolvePost, reject) => {
    const req = request(url, { method: 'POST', headers: { ...ADMIN, 'Content-Type': 'application/x-ndjson' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolvePost({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    createReadStream(file).pipe(req);
  });

/** The route's first request, then `count` requests one after another, then from CLIENTS clients at once. */
/** Requests after a route's first that warm it up (V8 compiles a route's code over its first few hundred calls). */
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 100);
/** Sequential requests a route gets at most, and how long the bench keeps sending past BENCH_REQUESTS to reach them. */
const SEQUENTIAL_MAX = 1000;
const SEQUENTIAL_MS = 2000;

/**
 * A route's first request, its warm-up (WARM_UP requests, their slowest shown), then its sequential
 * sample: at least `count` requests, and more up to SEQUENTIAL_MAX while the sample has taken under
 * SEQUENTIAL_MS, so that a fast route's p99 is a percentile of a thousand requests and not, as with a
 * hundred, its slowest request but one. Then the same from CLIENTS concurrent clients.
 */
const measure = async (server: Server, path: string, count: number) => {
  const statuses = new Map<number, number>();
  const timed = async () => {
    const r = await server.get(path);
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    return r.ms;
  };
  const first = await timed();
  let warmUpMax = 0;
  for (let i = 0; i < Math.min(WARM_UP, count); i++) warmUpMax = Math.max(warmUpMax, await timed());
  const sequential: number[] = [];
  const started = performance.now();
  while (sequential.length < count || (sequential.length < SEQUENTIAL_MAX && performance.now() - started < SEQUENTIAL_MS))
    sequential.push(await timed());
  const concurrent: number[] = [];
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = 0; i < Math.max(1, Math.ceil(count / CLIENTS)); i++) concurrent.push(await timed());
    }),
  );
  return { first, warmUpMax, sequential, concurrent, statuses };
};

/** Latencies of `probe` sent one after another for as long as `work` runs. */
const during = async <T>(server: Server, work: () => Promise<T>, probes: string[]): Promise<{ result: T; latencies: number[] }> => {
  let done = false;
  const latencies: number[] = [];
  const running = work().finally(() => (done = true));
  const prober = (async () => {
    for (let i = 0; !done; i++) latencies.push((await server.get(probes[i % probes.length]!)).ms);
  })();
  const [result] = await Promise.all([running, prober]);
  return { result, latencies };
};

const runSize = async (backups: number) => {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'strata-bench-scale-'));
  let started: Server | null = null;
  try {
    console.log(`\n## ${backups.toLocaleString('en')} backups (${VOLUMES} volumes, ${PROJECTS} projects)`);
    console.log(`loadavg at start: ${loadavg()}`);
    const source = openSqliteEventStore(join(dir, 'source.sqlite'), { synchronous: 'NORMAL' });
    const seeded = await seedCatalogHistory(source, { backups, volumes: VOLUMES, projects: PROJECTS });
    const file = join(dir, 'history.ndjson');
    const out = createWriteStream(file);
    for await (const line of exportHistory(source, { selection: { all: true }, streams: null, exportedAt: new Date().toISOString() }))
      if (!out.write(line)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    await source.close();
    console.log(`history: ${seeded.events.toLocaleString('en')} events, file ${mib(statSync(file).size)}`);

    const state = join(dir, 'state');
    const server = new Server(state, await freePort());
    started = server;
    await server.start();
    const idleBefore = server.memory();
    const importStarted = performance.now();
    // node:http, not fetch: an import of a large file answers after fetch's five-minute header timeout.
    const res = await postFile(`${server.baseUrl}/strata/v1/catalog/import`, file);
    const importBody = res.body;
    const importMs = performance.now() - importStarted;
    if (res.status !== 200) throw new Error(`import answered ${res.status}: ${importBody.slice(0, 500)}`);
    console.log(
      `import (worker on): ${(importMs / 1000).toFixed(1)} s, ${Math.round(seeded.events / (importMs / 1000)).toLocaleString('en')} events/s; RSS ${mib(server.memory().rss)}, peak ${mib(server.memory().peak)} (idle before ${mib(idleBefore.rss)})`,
    );

    const backupId = uuid('b0000000', Math.ceil(backups / 2));
    const volumeId = uuid('a0000000', 7);
    const routes = [
      '/v3/backups?limit=100',
      '/v3/backups/detail?limit=100',
      '/v3/backups/detail?all_tenants=1&limit=1000',
      '/v3/backups/detail?all_tenants=1&name=backup-77',
      '/v3/backups?name=backup-77',
      '/v3/backups/detail?with_count=true&limit=100',
      `/v3/backups/${backupId}`,
      '/v3/volumes/detail?all_tenants=1&limit=1000',
      '/v3/volumes?all_tenants=1&name=vol-7',
      `/v3/volumes/${volumeId}`,
      '/v3/snapshots/detail?all_tenants=1&limit=1000',
      `/strata/v1/backups/${backupId}/events`,
      '/strata/v1/events?limit=100',
      `/strata/v1/events?volume_id=${volumeId}&limit=100`,
      '/metrics',
      '/readyz',
    ];
    console.log(
      `\n| route | first | warm-up max | seq n | seq p50 | seq p99 | 10 clients p50 | 10 clients p99 | statuses |\n|---|---|---|---|---|---|---|---|---|`,
    );
    const row = (path: string, m: Awaited<ReturnType<typeof measure>>) =>
      console.log(
        `| \`${path}\` | ${ms(m.first)} | ${ms(m.warmUpMax)} | ${m.sequential.length} | ${ms(quantile(m.sequential, 0.5))} | ${ms(quantile(m.sequential, 0.99))} | ${ms(quantile(m.concurrent, 0.5))} | ${ms(quantile(m.concurrent, 0.99))} | ${[...m.statuses].map(([s, n]) => `${s}×${n}`).join(' ')} |`,
      );
    for (const path of routes) row(path, await measure(server, path, requests));
    const asOf = `/strata/v1/backups?all_tenants=1&as_of=${encodeURIComponent('2026-03-01T00:00:00Z')}`;
    row(asOf, await measure(server, asOf, asOfRequests));
    // After the history's end: every backup live at its end, the longest answer there is (the target is "any time").
    const asOfEnd = `/strata/v1/backups?all_tenants=1&as_of=${encodeURIComponent('2027-06-01T00:00:00Z')}`;
    row(asOfEnd, await measure(server, asOfEnd, asOfRequests));
    console.log(`RSS after the routes: ${mib(server.memory().rss)}, peak ${mib(server.memory().peak)}; loadavg ${loadavg()}`);

    const probes = [`/v3/backups/${backupId}`, '/readyz'];
    const whileAsOf = await during(server, () => server.get(asOf), probes);
    console.log(
      `while an as_of ran (${ms(whileAsOf.result.ms)}): ${whileAsOf.latencies.length} requests, p50 ${ms(quantile(whileAsOf.latencies, 0.5))}, p99 ${ms(quantile(whileAsOf.latencies, 0.99))}, max ${ms(Math.max(...whileAsOf.latencies))}`,
    );
    const rebuild = () =>
      fetch(`${server.baseUrl}/strata/v1/catalog/rebuild`, { method: 'POST', headers: ADMIN }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { rebuild?: { duration_ms: number } },
      }));
    // Where the two cores went meanwhile: the build's thread, the event loop answering the probes, and this
    // process sending them (a client that never waits keeps about one core busy between the two).
    const serverCpu = server.sampleCpu();
    const clientCpu = process.cpuUsage();
    const whileRebuild = await during(server, rebuild, probes);
    const cpu = serverCpu.stop();
    const client = process.cpuUsage(clientCpu);
    const rebuildMs = whileRebuild.result.body.rebuild?.duration_ms ?? NaN;
    const cpuS = (msSpent: number) => `${(msSpent / 1000).toFixed(1)} s`;
    console.log(
      `rebuild: ${(rebuildMs / 1000).toFixed(1)} s, ${Math.round(seeded.events / (rebuildMs / 1000)).toLocaleString('en')} events/s; meanwhile ${whileRebuild.latencies.length} requests, p50 ${ms(quantile(whileRebuild.latencies, 0.5))}, p99 ${ms(quantile(whileRebuild.latencies, 0.99))}, max ${ms(Math.max(...whileRebuild.latencies))}; RSS ${mib(server.memory().rss)}, peak ${mib(server.memory().peak)}`,
    );
    console.log(
      `  CPU meanwhile: the build's thread ${cpuS(cpu.busiestThreadMs)}, the service's event loop ${cpuS(cpu.eventLoopMs)}, its other threads ${cpuS(cpu.otherThreadsMs)}, the bench's client ${cpuS((client.user + client.system) / 1000)}`,
    );
    console.log(
      `on disk: events ${mib(sizeOf(join(state, 'events.sqlite')))}, catalog ${mib(sizeOf(join(state, 'catalog.sqlite')))}; loadavg ${loadavg()}`,
    );

    await server.stop();
    if (process.env.BENCH_SKIP_COLD_START === '1') return;
    rmSync(join(state, 'catalog.sqlite'), { force: true });
    rmSync(join(state, 'catalog.sqlite-wal'), { force: true });
    rmSync(join(state, 'catalog.sqlite-shm'), { force: true });
    const coldMs = await server.start();
    console.log(
      `cold start (catalog deleted) to /readyz 200: ${(coldMs / 1000).toFixed(1)} s, ${Math.round(seeded.events / (coldMs / 1000)).toLocaleString('en')} events/s; RSS ${mib(server.memory().rss)}, peak ${mib(server.memory().peak)}`,
    );
    await server.stop();
    console.log(`loadavg at end: ${loadavg()}`);
  } finally {
    // A failed step must not leave the service running.
    await started?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

const main = async () => {
  console.log(`# catalog at scale (${requests} requests per route, ${CLIENTS} concurrent clients)`);
  console.log(`GLIBC_TUNABLES=${process.env.GLIBC_TUNABLES ?? '(unset)'}; node ${process.version}`);
  for (const backups of sizes) await runSize(backups);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
