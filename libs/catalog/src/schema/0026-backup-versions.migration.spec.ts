import Database from 'better-sqlite3';
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
    expect(db.pragma('user_version', { simple: true })).toBe(26);
    db.close();
  });
});
