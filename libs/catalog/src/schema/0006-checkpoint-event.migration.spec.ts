import Database from 'better-sqlite3';
import { readAppliedEvent, readCheckpoint } from '../projection-checkpoint';
import { migrateCatalog, type CatalogDatabase } from './catalog-database';
import { MIGRATIONS } from './migrations';

/** A catalog file as the version before migration 6 left it. */
const catalogBeforeCheckpointEvents = (): CatalogDatabase => {
  const db = new Database(':memory:');
  for (const migration of MIGRATIONS.filter((m) => m.version < 6)) db.exec(migration.sql);
  db.pragma('user_version = 5');
  return db;
};

const auditRow = (db: CatalogDatabase, position: number, eventId: string) =>
  db
    .prepare(
      `INSERT INTO audit (position, event_id, stream_id, revision, type, entity_kind, entity_id, occurred_at, recorded_at, data)
     VALUES (?, ?, 'volume-1', 0, 'VolumeCreated', 'volume', '1', '2026-11-27T10:00:00Z', '2026-11-27T10:00:00Z', '{}')`,
    )
    .run(position, eventId);

describe('migration 6 (checkpoint-event)', () => {
  it('takes the newest audit row at or below the checkpoint as the last event an existing catalog applied', () => {
    const db = catalogBeforeCheckpointEvents();
    auditRow(db, 3, 'event-3');
    auditRow(db, 7, 'event-7');
    db.prepare("INSERT INTO projection_checkpoints (name, position) VALUES ('catalog', 9)").run();

    migrateCatalog(db, 6);

    expect(readCheckpoint(db)).toBe(9n);
    expect(readAppliedEvent(db)).toEqual({ position: 7n, id: 'event-7' });
    db.close();
  });

  it('leaves a catalog without audit rows with no last event, which agrees with any log', () => {
    const db = catalogBeforeCheckpointEvents();
    db.prepare("INSERT INTO projection_checkpoints (name, position) VALUES ('catalog', 2)").run();

    migrateCatalog(db, 6);

    expect(readAppliedEvent(db)).toBeNull();
    db.close();
  });
});
