import Database from 'better-sqlite3';
import { migrateCatalog, type CatalogDatabase } from './catalog-database';
import { MIGRATIONS } from './migrations';

/** A catalog file as the versions before migration 8 left it. */
const catalogBeforeVolumeActions = (): CatalogDatabase => {
  const db = new Database(':memory:');
  const earlier = MIGRATIONS.filter((m) => m.version < 8);
  for (const migration of earlier) db.exec(migration.sql);
  db.pragma(`user_version = ${earlier.at(-1)!.version}`);
  return db;
};

const volumeRow = (db: CatalogDatabase, id: string, attached: { instance?: string; mountpoint?: string } = {}) =>
  db
    .prepare(
      `INSERT INTO volumes (id, project_id, user_id, size, status, availability_zone, source_kind, attached_instance,
       attached_mountpoint, created_at, updated_at, last_event_position)
     VALUES (?, 'p', 'u', 1, ?, 'nova', 'blank', ?, ?, '2026-11-27T10:00:00Z', '2026-11-27T10:00:00Z', 1)`,
    )
    .run(id, attached.mountpoint ? 'in-use' : 'available', attached.instance ?? null, attached.mountpoint ?? null);

const auditRow = (db: CatalogDatabase, position: number, type: string, volumeId: string) =>
  db
    .prepare(
      `INSERT INTO audit (position, event_id, stream_id, revision, type, entity_kind, entity_id, occurred_at, recorded_at, data)
     VALUES (?, ?, ?, 0, ?, 'volume', ?, '2026-11-27T10:00:00Z', '2026-11-27T10:00:00Z', '{}')`,
    )
    .run(position, `event-${position}`, `volume-${volumeId}`, type, volumeId);

const columnsOf = (db: CatalogDatabase, id: string) => db.prepare('SELECT bootable, admin_metadata FROM volumes WHERE id = ?').get(id);

describe('migration 8 (volume-actions)', () => {
  it('gives existing volumes what a replay would: readonly False once attached, attached_mode while attached', () => {
    const db = catalogBeforeVolumeActions();
    volumeRow(db, 'never-attached');
    volumeRow(db, 'attached-once');
    volumeRow(db, 'attached-now', { instance: 'vm-1', mountpoint: '/dev/vdb' });
    auditRow(db, 1, 'VolumeAttached', 'attached-once');
    auditRow(db, 2, 'VolumeDetached', 'attached-once');
    auditRow(db, 3, 'VolumeAttached', 'attached-now');

    migrateCatalog(db, 8);

    expect(columnsOf(db, 'never-attached')).toEqual({ bootable: 0, admin_metadata: '{}' });
    expect(columnsOf(db, 'attached-once')).toEqual({ bootable: 0, admin_metadata: '{"readonly":"False"}' });
    expect(columnsOf(db, 'attached-now')).toEqual({ bootable: 0, admin_metadata: '{"readonly":"False","attached_mode":"rw"}' });
    db.close();
  });
});
