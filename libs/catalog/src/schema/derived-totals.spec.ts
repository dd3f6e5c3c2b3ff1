import { openMemoryEventStore } from '@strata/event-store';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedCatalogHistory } from '../../../../bench/catalog-history';
import { Catalog } from '../catalog';
import { rebuildCatalog } from '../rebuild';
import { seededLiveCatalog } from '../testing/seeded-live-catalog';
import {
  availableBackup,
  backupIdOf,
  backupRequested,
  openTestCatalog,
  volumeCreated,
  volumeProvisioned,
} from '../testing/catalog-fixtures';
import { openCatalogDatabase, type CatalogDatabase } from './catalog-database';
import { DERIVED_TOTALS_TRIGGERS, dropDerivedTotals } from './derived-totals';

const triggersOf = (db: CatalogDatabase) =>
  new Map(
    (db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all() as { name: string; sql: string }[]).map((t) => [
      t.name,
      t.sql.replace(/\s+/g, ' '),
    ]),
  );

const totalsOf = (db: CatalogDatabase) => ({
  byStatus: db.prepare('SELECT * FROM backup_status_totals ORDER BY status').all(),
  buckets: db.prepare('SELECT * FROM job_duration_buckets ORDER BY kind, outcome, le').all(),
  sums: db.prepare('SELECT * FROM job_duration_sums ORDER BY kind, outcome').all(),
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-derived-totals-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the totals /metrics reads, which a catalog built from the log makes at the end', () => {
  it('are kept by triggers written as the migrations wrote them', () => {
    const db = openCatalogDatabase(':memory:');
    try {
      const made = triggersOf(db);
      for (const [name, body] of Object.entries(DERIVED_TOTALS_TRIGGERS))
        expect(made.get(name)).toBe(`CREATE TRIGGER ${name} ${body}`.replace(/\s+/g, ' '));
    } finally {
      db.close();
    }
  });

  it('come out of a rebuild as the live catalog kept them, event by event, to the last digit of every sum', async () => {
    // Given a seeded history (completions and failures of both kinds of job, deletions) and a live catalog
    const { store, live, close } = await seededLiveCatalog(120);

    // When the log is built into a new file, totals grouped at the end
    const path = join(dir, 'rebuilt.db');
    await rebuildCatalog(store, path);

    // Then they are the live ones, and the triggers are back for the events to come
    const rebuilt = openCatalogDatabase(path);
    try {
      const totals = totalsOf(live.db);
      expect((totals.sums as { count: number }[]).some((s) => s.count > 1)).toBe(true);
      expect(totalsOf(rebuilt)).toEqual(totals);
      expect([...triggersOf(rebuilt).keys()]).toEqual(expect.arrayContaining(Object.keys(DERIVED_TOTALS_TRIGGERS)));
    } finally {
      rebuilt.close();
      await close();
    }
  });

  it('are made from the rows when a file whose build stopped half way is opened (a crash between the drop and the end)', async () => {
    const store = openMemoryEventStore();
    const { head } = await seedCatalogHistory(store, { backups: 40 });
    const path = join(dir, 'stopped.db');
    const catalog = Catalog.open({ path, store });
    catalog.start();
    await catalog.waitForPosition(head, 20_000);
    const kept = totalsOf(catalog.db);
    await catalog.close();
    const stopped = new Database(path);
    dropDerivedTotals(stopped);
    stopped.exec(
      'DELETE FROM backup_status_totals; UPDATE job_duration_buckets SET count = 0; UPDATE job_duration_sums SET count = 0, seconds = 0',
    );
    stopped.close();

    const reopened = openCatalogDatabase(path);
    try {
      expect(totalsOf(reopened)).toEqual(kept);
      expect([...triggersOf(reopened).keys()]).toEqual(expect.arrayContaining(Object.keys(DERIVED_TOTALS_TRIGGERS)));
    } finally {
      reopened.close();
      await store.close();
    }
  });

  it('hold a row for each status some backup is in, none for a status its last backup left', async () => {
    const t = openTestCatalog();
    try {
      // Given a backup requested (creating), and one that completed (available)
      await t.given([volumeCreated(), volumeProvisioned(), backupRequested({ backupId: backupIdOf(1) })]);
      expect(t.catalog.db.prepare('SELECT status, count FROM backup_status_totals ORDER BY status').all()).toEqual([
        { status: 'creating', count: 1 },
      ]);

      // When it completes
      await t.given(availableBackup({ backupId: backupIdOf(1) }).slice(1));

      // Then no row says "creating, 0"
      expect(t.catalog.db.prepare('SELECT status, count FROM backup_status_totals ORDER BY status').all()).toEqual([
        { status: 'available', count: 1 },
      ]);
    } finally {
      await t.close();
    }
  });
});
