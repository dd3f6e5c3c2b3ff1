import type { Statement } from 'better-sqlite3';
import { openMemoryEventStore, type MemoryEventStore } from '@strata/event-store';
import { Catalog } from '../catalog';
import type { CatalogDatabase } from '../schema/catalog-database';
import { allScope, append, at, availableBackup, backupIdOf, ownScope, VOLUME, volumeCreated } from '../testing/catalog-fixtures';
import { backupsAsOf } from './backups-as-of.query';
import { eventsInLog } from './events-in-log.query';
import { eventsOfEntity } from './events-of-entity.query';
import { getBackup } from './get-backup.query';
import { getSnapshot } from './get-snapshot.query';
import { getVolume } from './get-volume.query';
import { listBackups } from './list-backups.query';
import { listSnapshots } from './list-snapshots.query';
import { listVolumes } from './list-volumes.query';
import { unclaimedImports } from './quota.query';
import { runningVerifications } from './running-verifications.query';

/**
 * The plans SQLite picks for the queries behind what the clients send most: each must reach its rows
 * through an index. A plan that reads a whole table (`SCAN <table>` with no index) or sorts the matches
 * in a temporary B-tree grows with the catalog; this spec fails when a change to a query or an index
 * turns one of them into that. (A time window of the audit is read through its time index and sorted by
 * position: bounded by the window, so not listed.)
 */
const PAGE = { limit: 1000, marker: null, offset: 0, withCount: false } as const;

/** Every statement `run` executes, with its parameters, as EXPLAIN QUERY PLAN lines. */
const plansOf = (db: CatalogDatabase, run: () => unknown): string[][] => {
  const executed: { sql: string; params: unknown }[] = [];
  const prepare = db.prepare.bind(db);
  const spy = jest.spyOn(db, 'prepare').mockImplementation(((sql: string) => {
    const statement = prepare(sql);
    const record = (method: 'all' | 'get' | 'iterate') => (params?: unknown) => {
      executed.push({ sql, params });
      return params === undefined ? statement[method]() : statement[method](params as never);
    };
    const proxy: Statement = new Proxy(statement, {
      get(target, property) {
        if (property === 'all' || property === 'get' || property === 'iterate') return record(property);
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== 'function') return value;
        // `safeIntegers()` and the like return the statement: hand back the recording one.
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          return result === target ? proxy : result;
        };
      },
    });
    return proxy;
  }) as never);
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return executed.map(({ sql, params }) =>
    (prepare(`EXPLAIN QUERY PLAN ${sql}`).all((params ?? {}) as never) as { detail: string }[]).map((row) => row.detail),
  );
};

const FULL_SCAN = /^SCAN (\w+)$/;
const TEMP_SORT = /USE TEMP B-TREE FOR ORDER BY/;

let store: MemoryEventStore;
let catalog: Catalog;
let db: CatalogDatabase;
beforeEach(async () => {
  // One backup, so that a marker names a row.
  store = openMemoryEventStore();
  await append(store, [volumeCreated(), ...availableBackup({ backupId: MARKER })]);
  catalog = Catalog.open({ path: ':memory:', store });
  catalog.start();
  await catalog.waitForPosition(await store.headPosition());
  db = catalog.db;
});
afterEach(async () => {
  await catalog.close();
  await store.close();
});

const MARKER = backupIdOf(1);

describe('catalog query plans', () => {
  it.each<[string, () => (db: CatalogDatabase) => unknown]>([
    ['a project’s backups, newest first', () => (d) => listBackups(d, { ...PAGE, scope: ownScope })],
    ['every project’s backups (all_tenants), newest first', () => (d) => listBackups(d, { ...PAGE, scope: allScope })],
    ['the next all_tenants page (marker)', () => (d) => listBackups(d, { ...PAGE, marker: MARKER, scope: allScope })],
    ['a backup by name in a project', () => (d) => listBackups(d, { ...PAGE, scope: ownScope, filters: { name: 'nightly' } })],
    [
      'a backup by name across projects (what both CLIs send)',
      () => (d) => listBackups(d, { ...PAGE, scope: allScope, filters: { name: 'nightly' } }),
    ],
    ['a project’s backups counted (with_count)', () => (d) => listBackups(d, { ...PAGE, withCount: true, scope: ownScope })],
    ['a backup by id', () => (d) => getBackup(d, MARKER, ownScope)],
    ['a project’s volumes', () => (d) => listVolumes(d, { ...PAGE, scope: ownScope })],
    ['every project’s volumes', () => (d) => listVolumes(d, { ...PAGE, scope: allScope })],
    ['a volume by name in a project', () => (d) => listVolumes(d, { ...PAGE, scope: ownScope, filters: { name: 'vol' } })],
    ['a volume by name across projects', () => (d) => listVolumes(d, { ...PAGE, scope: allScope, filters: { name: 'vol' } })],
    ['a volume by id', () => (d) => getVolume(d, VOLUME, ownScope)],
    ['a project’s snapshots', () => (d) => listSnapshots(d, { ...PAGE, scope: ownScope })],
    ['every project’s snapshots', () => (d) => listSnapshots(d, { ...PAGE, scope: allScope })],
    // What the worker's sweep asks every few seconds: what is in flight, in every project.
    [
      'backups in a status across projects (the sweep, `?status=`)',
      () => (d) => listBackups(d, { ...PAGE, scope: allScope, filters: { status: 'creating' } }),
    ],
    ['volumes in a status across projects', () => (d) => listVolumes(d, { ...PAGE, scope: allScope, filters: { status: 'deleting' } })],
    ['snapshots in a status across projects', () => (d) => listSnapshots(d, { ...PAGE, scope: allScope, filters: { status: 'creating' } })],
    ['the verifications still running', () => (d) => runningVerifications(d)],
    ['the record imports that hold no claim', () => (d) => unclaimedImports(d)],
    ['a snapshot by name across projects', () => (d) => listSnapshots(d, { ...PAGE, scope: allScope, filters: { name: 'snap' } })],
    ['a snapshot by id', () => (d) => getSnapshot(d, VOLUME, ownScope)],
    ['a backup’s events', () => (d) => eventsOfEntity(d, 'backup', MARKER, { limit: 100 })],
    ['the log, a page', () => (d) => eventsInLog(d, { limit: 100 })],
    ['the log of one volume (volume_id)', () => (d) => eventsInLog(d, { volumeId: VOLUME, limit: 100 })],
    // One ordered pass over the history, a window at a time (the first page's statement runs on the first
    // `next()`), with one index probe per backup for its children.
    ['every project’s backups as of a time', () => (d) => backupsAsOf(() => d, new Date(at(12)), allScope).next()],
    ['a project’s backups as of a time', () => (d) => backupsAsOf(() => d, new Date(at(12)), ownScope).next()],
    // After the history's end, from the current rows alone (migration 32).
    ['every project’s backups after the history’s end', () => (d) => backupsAsOf(() => d, new Date(at(60)), allScope).next()],
    // A window of the table's rows per statement: where the window ends, then its matches (the request's
    // version, at the time of the request, is in the first window).
    ['backups as of a time, a window of rows at a time', () => (d) => backupsAsOf(() => d, new Date(at(10)), allScope, 2).next()],
  ])('%s: through an index, with no sort of its own', (_, query) => {
    const plans = plansOf(db, () => query()(db));

    expect(plans.length).toBeGreaterThan(0);
    for (const plan of plans) {
      expect(plan.filter((line) => FULL_SCAN.test(line))).toEqual([]);
      expect(plan.filter((line) => TEMP_SORT.test(line))).toEqual([]);
    }
  });

  it('counts a project’s live backups (with_count) from an index alone, not row by row from the table', () => {
    const plans = plansOf(db, () => listBackups(db, { ...PAGE, withCount: true, scope: ownScope }));
    const count = plans[0];

    expect(count).toEqual([expect.stringMatching(/USING COVERING INDEX backups_project_created/)]);
  });
});
