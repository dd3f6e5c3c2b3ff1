import Database from 'better-sqlite3';
import { migrateCatalog } from './catalog-database';
import { MIGRATIONS } from './migrations';

describe('migration 33: backup_status_totals without empty rows', () => {
  it("drops the rows of statuses no backup is in, and from then on a status's row goes with its last backup", () => {
    // Given a catalog as version 32 left it: one backup, and a status its last backup left
    const db = new Database(':memory:');
    for (const migration of MIGRATIONS.filter((m) => m.version <= 32)) db.exec(migration.sql);
    db.pragma('user_version = 32');
    db.exec(`INSERT INTO backups (id, status, size, created_at, updated_at, volume_id, data_timestamp, project_id, user_id, size_bytes,
               stored_bytes, last_event_position)
             VALUES ('b1', 'creating', 1, 't', 't', 'v1', 't', 'p', 'u', 1, 0, 1)`);
    db.exec("UPDATE backups SET status = 'available', stored_bytes = 7 WHERE id = 'b1'");
    const totals = () => db.prepare('SELECT status, count, stored_bytes FROM backup_status_totals ORDER BY status').all();
    expect(totals()).toEqual([
      { status: 'available', count: 1, stored_bytes: 7 },
      { status: 'creating', count: 0, stored_bytes: 0 },
    ]);

    // When it is migrated
    migrateCatalog(db);

    // Then only the status a backup is in has a row, and stays so as backups change and go
    expect(totals()).toEqual([{ status: 'available', count: 1, stored_bytes: 7 }]);
    db.exec("UPDATE backups SET status = 'deleting' WHERE id = 'b1'");
    expect(totals()).toEqual([{ status: 'deleting', count: 1, stored_bytes: 7 }]);
    db.exec("DELETE FROM backups WHERE id = 'b1'");
    expect(totals()).toEqual([]);
    db.close();
  });
});
