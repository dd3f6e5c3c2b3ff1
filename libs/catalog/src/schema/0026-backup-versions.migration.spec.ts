import Database from 'better-sqlite3';
import { openMemoryEventStore } from '@strata/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../catalog';
import { backupsAsOf } from '../queries/backups-as-of.query';
import { allScope, append, at, availableBackup, backupIdOf, volumeCreated } from '../testing/catalog-fixtures';
import { migrateCatalog, type CatalogDatabase } from './catalog-database';
import { MIGRATIONS } from './migrations';

/** A catalog file as version 25 left it, with rows and a checkpoint. */
const catalogBeforeBackupVersions = (): CatalogDatabase => {
  const db = new Database(':memory:');
  for (const migration of MIGRATIONS.filter((m) => m.version <= 25)) db.exec(migration.sql);
  db.pragma('user_version = 25');
  db.exec(`
    INSERT INTO backups (id, status, size, created_at, updated_at, volume_id, data_timestamp, project_id, user_id, size_bytes,
      last_event_position)
    VALUES ('b1', 'available', 1, '2026-11-27T10:00:00.000Z', '2026-11-27T10:00:00.000Z', 'v1', '2026-11-27T10:00:00.000Z',
      'p', 'u', 1, 5);
    INSERT INTO projection_checkpoints (name, position, event_position, event_id) VALUES ('catalog', 9, 5, 'event-5');
  `);
  return db;
};

describe('migration 26 (backup-versions)', () => {
  it("empties an existing catalog, so it replays the log from position 0 and gains its backups' history", () => {
    const db = catalogBeforeBackupVersions();

    migrateCatalog(db);

    expect(db.prepare('SELECT COUNT(*) AS n FROM backups').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM projection_checkpoints').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM backup_status_totals').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM operation_totals').get()).toEqual({ n: 1 });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);
    db.close();
  });

  it('gives an upgraded catalog, once started, the history of everything its log holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-migration-26-'));
    const path = join(dir, 'catalog.db');
    const store = openMemoryEventStore();
    try {
      const head = await append(store, [volumeCreated(), ...availableBackup({ backupId: backupIdOf(1) })]);
      const before = Catalog.open({ path, store });
      before.start();
      await before.waitForPosition(head);
      await before.close();
      // As a Strata from before step 26 left the file.
      const old = new Database(path);
      old.exec('DROP TABLE backup_versions');
      old.pragma('user_version = 25');
      old.close();

      const upgraded = Catalog.open({ path, store });
      upgraded.start();
      await upgraded.waitForPosition(head);
      const rows: string[] = [];
      for await (const row of backupsAsOf(() => upgraded.db, new Date(at(11)), allScope)) rows.push(row.status);
      await upgraded.close();

      expect(rows).toEqual(['creating']);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
