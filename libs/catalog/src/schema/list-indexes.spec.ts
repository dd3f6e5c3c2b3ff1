import { openMemoryEventStore, type RecordedEvent } from '@strata/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedCatalogHistory } from '../../../../bench/catalog-history';
import { applyBatch } from '../apply-batch';
import { Catalog } from '../catalog';
import { CATALOG_PROJECTIONS } from '../projections';
import type { ProjectionTx, SqlParams } from '../projections/projection';
import { sqliteProjectionTx } from '../projections/sqlite-projection-tx';
import { dumpCatalog, rebuildCatalog } from '../rebuild';
import { append, volumeCreated } from '../testing/catalog-fixtures';
import { seededLiveCatalog } from '../testing/seeded-live-catalog';
import { openCatalogDatabase, type CatalogDatabase } from './catalog-database';
import { dropListIndexes, LIST_INDEXES, missingListIndexes } from './list-indexes';

const indexesOf = (db: CatalogDatabase) =>
  db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all();

/** Tables that grow with the history: a statement of a projection that scans one costs more at every event. */
const GROWING = ['audit', 'backups', 'backup_versions', 'backup_children', 'volumes', 'snapshots', 'jobs', 'messages'];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-list-indexes-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the list indexes a catalog built from the log makes at the end', () => {
  it('are written as the migrations wrote them', () => {
    const db = openCatalogDatabase(':memory:');
    try {
      const made = new Map(indexesOf(db).map((row) => [(row as { name: string }).name, (row as { sql: string }).sql]));
      for (const [name, on] of Object.entries(LIST_INDEXES))
        expect(made.get(name)?.replace(/\s+/g, ' ')).toBe(`CREATE INDEX ${name} ON ${on}`);
    } finally {
      db.close();
    }
  });

  it('are needed by no statement of a projection: without them none scans a table that grows', async () => {
    // Given a seeded history (chains, failures, deletions, restores, snapshots) and a catalog without them
    const store = openMemoryEventStore();
    await seedCatalogHistory(store, { backups: 150 });
    const events: RecordedEvent[] = [];
    for await (const event of store.readAll()) events.push(event);
    const db = openCatalogDatabase(':memory:');
    dropListIndexes(db);
    const executed = new Map<string, SqlParams>();
    const inner = sqliteProjectionTx(db);
    const tx: ProjectionTx = {
      run: (sql, params = {}) => (executed.has(sql) || executed.set(sql, params), inner.run(sql, params)),
      get: (sql, params = {}) => (executed.has(sql) || executed.set(sql, params), inner.get(sql, params)),
    };

    // When every projection applies it
    applyBatch({ db, tx, projections: CATALOG_PROJECTIONS, checkpointName: 'spec' }, 0n, {
      events,
      upTo: events[events.length - 1]!.position,
    });

    // Then each statement reaches its rows by key
    expect(executed.size).toBeGreaterThan(30);
    const scans = [...executed].flatMap(([sql, params]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[])
        .map((row) => row.detail)
        .filter((detail) => GROWING.some((table) => new RegExp(`^SCAN ${table}\\b`).test(detail)))
        .map((detail) => `${detail}: ${sql.replace(/\s+/g, ' ').slice(0, 120)}`),
    );
    expect(scans).toEqual([]);
    db.close();
    await store.close();
  });

  it('are all there after a rebuild, sorted on a thread, and the rows are the live catalog’s', async () => {
    const { store, live, close } = await seededLiveCatalog(100);

    const path = join(dir, 'rebuilt.db');
    await rebuildCatalog(store, path);

    const rebuilt = openCatalogDatabase(path);
    try {
      expect(indexesOf(rebuilt)).toEqual(indexesOf(live.db));
      expect(dumpCatalog(rebuilt)).toEqual(dumpCatalog(live.db));
    } finally {
      rebuilt.close();
      await close();
    }
  });

  it('are made when a file whose build stopped half way is opened (a crash between the drop and the end)', () => {
    const path = join(dir, 'stopped.db');
    const stopped = openCatalogDatabase(path);
    dropListIndexes(stopped);
    expect(missingListIndexes(stopped)).toHaveLength(Object.keys(LIST_INDEXES).length);
    stopped.close();

    const reopened = openCatalogDatabase(path);
    expect(missingListIndexes(reopened)).toEqual([]);
    reopened.close();
  });

  it('lets a catalog whose file was deleted start by building beside, then follow the log with every index', async () => {
    // Given a log with history and no catalog file
    const store = openMemoryEventStore();
    const { head } = await seedCatalogHistory(store, { backups: 60 });
    const reference = Catalog.open({ path: ':memory:', store });
    reference.start();
    await reference.waitForPosition(head, 20_000);

    // When a catalog starts on a new file
    const catalog = Catalog.open({ path: join(dir, 'catalog.db'), store });
    catalog.start();
    await catalog.caughtUp();

    // Then it holds the history with every index, and keeps following the log
    try {
      expect(catalog.position()).toBeGreaterThanOrEqual(head);
      expect(missingListIndexes(catalog.db)).toEqual([]);
      expect(dumpCatalog(catalog.db)).toEqual(dumpCatalog(reference.db));
      await catalog.waitForPosition(await append(store, [volumeCreated({ volumeId: 'a0000000-0000-4000-8000-00000000beef' })]));
      expect(catalog.db.prepare('SELECT COUNT(*) FROM volumes').pluck().get()).toBe(
        reference.db.prepare('SELECT COUNT(*) FROM volumes').pluck().get() as number,
      );
    } finally {
      await catalog.close();
      await reference.close();
      await store.close();
    }
  });
});
