import Database from 'better-sqlite3';
import { DEFAULT_VOLUME_TYPE_ID } from '@strata/domain';
import { migrateCatalog, type CatalogDatabase } from './catalog-database';
import { MIGRATIONS } from './migrations';

/** A catalog file as the version before migration 7 left it. */
const catalogBeforeVolumeTypes = (): CatalogDatabase => {
  const db = new Database(':memory:');
  for (const migration of MIGRATIONS.filter((m) => m.version < 7)) db.exec(migration.sql);
  db.pragma('user_version = 6');
  return db;
};

const volumeRow = (db: CatalogDatabase, id: string, volumeType: string | null) =>
  db
    .prepare(
      `INSERT INTO volumes (id, project_id, user_id, size, status, availability_zone, volume_type, source_kind, created_at, updated_at, last_event_position)
     VALUES (?, 'p', 'u', 1, 'available', 'nova', ?, 'blank', '2026-11-27T10:00:00Z', '2026-11-27T10:00:00Z', 1)`,
    )
    .run(id, volumeType);

describe('migration 7 (volume-types)', () => {
  it("gives an existing catalog's volumes the types a rebuild would: untyped ones __DEFAULT__, named ones none", () => {
    const db = catalogBeforeVolumeTypes();
    volumeRow(db, 'untyped', null);
    volumeRow(db, 'named', 'fast');

    migrateCatalog(db, 7);

    expect(db.prepare('SELECT id, volume_type, volume_type_id FROM volumes ORDER BY id').all()).toEqual([
      { id: 'named', volume_type: 'fast', volume_type_id: null },
      { id: 'untyped', volume_type: null, volume_type_id: DEFAULT_VOLUME_TYPE_ID },
    ]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM volume_types').get()).toEqual({ n: 0 });
    db.close();
  });
});
