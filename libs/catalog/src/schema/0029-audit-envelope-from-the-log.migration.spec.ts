import Database from 'better-sqlite3';
import { migrateCatalog } from './catalog-database';
import { LIST_INDEXES } from './list-indexes';
import { MIGRATIONS } from './migrations';

describe('migration 29 (audit-envelope-from-the-log)', () => {
  it("keeps every audit row with what its queries use, leaves who asked to the log, and keeps the audit's indexes", () => {
    const db = new Database(':memory:');
    for (const migration of MIGRATIONS.filter((m) => m.version <= 28)) db.exec(migration.sql);
    db.pragma('user_version = 28');
    db.exec(`
      INSERT INTO audit (position, event_id, stream_id, revision, type, entity_kind, entity_id, occurred_at, recorded_at, user_id,
        project_id, correlation_id, causation_id, request_id, volume_id)
      VALUES (7, 'e7', 'backup-b1', 0, 'BackupRequested', 'backup', 'b1', '2026-11-27T10:00:00.000Z', '2026-11-27T10:00:01.000Z',
        'alice', 'p', 'c', NULL, 'req-1', 'v1'),
        (8, 'e8', 'volume-v2', 3, 'VolumeCreated', 'volume', 'v2', '2026-11-27T10:00:02.000Z', '2026-11-27T10:00:03.000Z',
        NULL, NULL, NULL, NULL, NULL, 'v2');
    `);

    migrateCatalog(db);

    expect(db.prepare('SELECT * FROM audit ORDER BY position').all()).toEqual([
      {
        position: 7,
        event_id: 'e7',
        stream_id: 'backup-b1',
        revision: 0,
        type: 'BackupRequested',
        entity_kind: 'backup',
        entity_id: 'b1',
        occurred_at: '2026-11-27T10:00:00.000Z',
        volume_id: 'v1',
      },
      {
        position: 8,
        event_id: 'e8',
        stream_id: 'volume-v2',
        revision: 3,
        type: 'VolumeCreated',
        entity_kind: 'volume',
        entity_id: 'v2',
        occurred_at: '2026-11-27T10:00:02.000Z',
        volume_id: 'v2',
      },
    ]);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit' ORDER BY name").pluck().all();
    expect(indexes).toEqual(Object.keys(LIST_INDEXES).filter((name) => name.startsWith('audit_')));
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = '_audit_lean'").get()).toEqual({ n: 0 });
    db.close();
  });
});
