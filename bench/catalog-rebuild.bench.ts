/**
 * `strata catalog rebuild` on a large catalog: seeds BENCH_BACKUPS (default 10,000) backups' events
 * straight into a SQLite event store (see catalog-history.ts), lets a live catalog catch up with them,
 * then times (median of BENCH_REBUILDS runs, default 3):
 * - the offline rebuild (`rebuildCatalog` into an empty file), and
 * - the live rebuild (`Catalog.rebuild()`, what `POST /strata/v1/catalog/rebuild` runs: a second file
 *   built beside the live one, then swapped),
 * and checks each rebuilt catalog dumps identical to the live one. Also times the catalog query behind
 * `/metrics` (`operationsMetrics`) on the caught-up catalog, and the sizes of the log and the catalog
 * files (each with its WAL). Prints whether
 * GLIBC_TUNABLES=glibc.malloc.hugetlb=1 was set and /proc/loadavg at the start and the end.
 *
 *   npm run bench:catalog-rebuild          BENCH_BACKUPS=2000 BENCH_REBUILDS=1 npm run bench:catalog-rebuild
 */
import { Catalog, dumpCatalog, openCatalogDatabase, rebuildCatalog } from '@strata/catalog';
import { openSqliteEventStore } from '@strata/event-store';
import { isDeepStrictEqual } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { seedCatalogHistory } from './catalog-history';

const backups = Number(process.env.BENCH_BACKUPS ?? 10_000);
const runs = Number(process.env.BENCH_REBUILDS ?? 3);
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** A SQLite file with its WAL, in MiB. */
const mibOf = (path: string) =>
  `${([path, `${path}-wal`].filter(existsSync).reduce((n, p) => n + statSync(p).size, 0) / 2 ** 20).toFixed(1)} MiB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
/** CPU seconds of the whole process: steadier than wall time on a shared machine. */
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
let lastCpu = 0;
const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  const result = await work();
  lastCpu = cpuSeconds() - cpuStarted;
  return [result, performance.now() - started];
};

const main = async () => {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'strata-bench-rebuild-'));
  console.log(`# catalog rebuild, ${backups} backups`);
  console.log(
    `GLIBC_TUNABLES=${process.env.GLIBC_TUNABLES ?? '(unset)'}; hugetlb ${/glibc\.malloc\.hugetlb=1/.test(process.env.GLIBC_TUNABLES ?? '') ? 'on' : 'off'}`,
  );
  console.log(`loadavg at start: ${loadavg()}; node ${process.version}`);
  const store = openSqliteEventStore(join(dir, 'events.sqlite'), { synchronous: 'NORMAL' });
  try {
    const [seeded, seedMs] = await timed(() => seedCatalogHistory(store, { backups }));
    console.log(`seeded ${seeded.events} events (${seeded.volumes} volumes) in ${seconds(seedMs)} (cpu ${lastCpu.toFixed(2)} s)`);

    const catalog = Catalog.open({ path: join(dir, 'catalog.sqlite'), store });
    const [, catchUpMs] = await timed(async () => {
      catalog.start();
      await catalog.waitForPosition(seeded.head, 30 * 60_000);
    });
    const live = dumpCatalog(catalog.db);
    console.log(`live catalog caught up in ${seconds(catchUpMs)} (cpu ${lastCpu.toFixed(2)} s)`);
    catalog.db.pragma('wal_checkpoint(TRUNCATE)');
    const versions = (live as Partial<Record<string, unknown[]>>).backup_versions?.length ?? 0;
    const historyBytes = (
      catalog.db.prepare("SELECT COALESCE(SUM(pgsize), 0) AS n FROM dbstat WHERE name LIKE 'backup_versions%'").get() as {
        n: number;
      }
    ).n;
    console.log(
      `sizes: log ${mibOf(join(dir, 'events.sqlite'))}, catalog ${mibOf(join(dir, 'catalog.sqlite'))}, of which the as_of history ` +
        `${(historyBytes / 2 ** 20).toFixed(1)} MiB (${versions} backup versions)`,
    );
    const scrapes: number[] = [];
    for (let i = 0; i < 5; i++) scrapes.push((await timed(async () => catalog.operationsMetrics()))[1]);
    console.log(`/metrics' catalog query (\`operationsMetrics\`), median of 5: ${median(scrapes).toFixed(1)} ms`);

    const offline: number[] = [];
    const swapped: number[] = [];
    const offlineCpus: number[] = [];
    const swappedCpus: number[] = [];
    for (let run = 1; run <= runs; run++) {
      const path = join(dir, `offline-${run}.sqlite`);
      const [, offlineMs] = await timed(() => rebuildCatalog(store, path));
      const offlineCpu = lastCpu;
      const db = openCatalogDatabase(path);
      const same = isDeepStrictEqual(dumpCatalog(db), live);
      db.close();
      rmSync(path, { force: true });
      const [, swapMs] = await timed(() => catalog.rebuild());
      const swapCpu = lastCpu;
      const swappedSame = isDeepStrictEqual(dumpCatalog(catalog.db), live);
      if (!same || !swappedSame) throw new Error(`run ${run}: a rebuilt catalog differs from the live one`);
      offline.push(offlineMs);
      swapped.push(swapMs);
      offlineCpus.push(offlineCpu);
      swappedCpus.push(swapCpu);
      console.log(
        `run ${run}: offline ${seconds(offlineMs)} (cpu ${offlineCpu.toFixed(2)} s), live (beside + swap) ${seconds(swapMs)} (cpu ${swapCpu.toFixed(2)} s), identical rows`,
      );
    }
    await catalog.close();
    const perSecond = (ms: number) => Math.round(seeded.events / (ms / 1000)).toLocaleString('en');
    console.log('\n| rebuild | median wall | events/s | median cpu |\n|---|---|---|---|');
    console.log(
      `| offline (\`rebuildCatalog\`, empty file) | ${seconds(median(offline))} | ${perSecond(median(offline))} | ${median(offlineCpus).toFixed(2)} s |`,
    );
    console.log(
      `| live (\`POST /strata/v1/catalog/rebuild\`) | ${seconds(median(swapped))} | ${perSecond(median(swapped))} | ${median(swappedCpus).toFixed(2)} s |`,
    );
    console.log(`\nloadavg at end: ${loadavg()}`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
