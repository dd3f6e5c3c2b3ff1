import { openSqliteEventStore, type SqliteEventStore } from '@strata/event-store';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedCatalogHistory } from '../../../../bench/catalog-history';
import { Catalog } from '../catalog';
import type { ProjectionFailed } from '../errors';
import { CATALOG_PROJECTIONS, snapshotsProjection } from '../projections';
import { dumpCatalog } from '../rebuild';
import { openCatalogDatabase, type CatalogDatabase } from '../schema/catalog-database';
import { READ_MODEL_TABLES } from '../schema/migrations';
import {
  OTHER_PROJECT,
  PROJECT,
  VOLUME,
  append,
  at,
  backupDeleted,
  backupImported,
  backupRequested,
  event,
  snapshotCreated,
  volumeCreated,
} from '../testing/catalog-fixtures';
import { OTHERS_TABLES, partProjections } from './build-parts';
import { startCatalogFileBuild } from './catalog-file-build';

let dir: string;
let store: SqliteEventStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-build-parts-'));
  store = openSqliteEventStore(join(dir, 'events.sqlite'), { synchronous: 'NORMAL' });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const OTHER_VOLUME = 'a0000000-0000-4000-8000-000000000002';
/** Ids the seeded history does not use. */
const shapeId = (n: number) => `e0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The log's events up to its head, built into `name` by `startCatalogFileBuild`, as a thread builds them unless `whole`. */
const build = async (name: string, options: { whole?: boolean; onParked?: (failure: ProjectionFailed) => void } = {}) => {
  const path = join(dir, name);
  const head = await store.headPosition();
  // Given projections of its own, a build runs whole, on this event loop: the reference.
  const projections = options.whole ? CATALOG_PROJECTIONS : undefined;
  const building = startCatalogFileBuild(store, path, head, { waitMs: 60_000, projections, onParked: options.onParked, inParts: true });
  const partSeen = await seenWhile(`${path}.part`, building.finished);
  return { path, where: building.where, partSeen, partLeft: existsSync(`${path}.part`) };
};

/** Whether the file at `path` was there at some point before `work` settled (looked for every 2 ms). */
const seenWhile = async (path: string, work: Promise<unknown>): Promise<boolean> => {
  let settled = false;
  const settling = work.finally(() => (settled = true));
  let seen = false;
  while (!settled && !seen) {
    seen = existsSync(path);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await settling;
  return seen;
};

const withFile = <T>(path: string, read: (db: CatalogDatabase) => T): T => {
  const db = openCatalogDatabase(path);
  try {
    return read(db);
  } finally {
    db.close();
  }
};

/** The schema as SQLite keeps it, the triggers in the order they fire in. */
const schemaOf = (db: CatalogDatabase) =>
  db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, tbl_name, rowid").all();

/** The backup events whose audit row names a volume read from a backup's row, in the shapes that row can take. */
const backupsInEveryShape = () => {
  const lockOnly = shapeId(1);
  const lockThenRequest = shapeId(2);
  const revived = shapeId(3);
  const importedOver = shapeId(4);
  const ofSnapshot = shapeId(5);
  const snapshotId = 'e1000000-0000-4000-8000-000000000005';
  const lock = (backupId: string, volumeId: string, minute: number) =>
    event('VolumeBackupStarted', {
      volumeId,
      backupId,
      previousStatus: 'available',
      startedAt: at(minute),
      backup: backupRequested({ backupId, volumeId, createdAt: at(minute) }).data,
    });
  const lockEnded = (backupId: string, volumeId: string, minute: number) =>
    event('VolumeBackupEnded', { volumeId, backupId, outcome: 'failed', status: 'available', endedAt: at(minute) });
  const failed = (backupId: string, minute: number) => event('BackupFailed', { backupId, reason: 'no space', failedAt: at(minute) });
  return [
    volumeCreated({ volumeId: VOLUME }),
    volumeCreated({ volumeId: OTHER_VOLUME, name: 'other' }),
    // A row made by a lock alone goes when the lock ends: an event of that backup afterwards names no volume.
    lock(lockOnly, VOLUME, 1),
    failed(lockOnly, 2),
    lockEnded(lockOnly, VOLUME, 3),
    failed(lockOnly, 4),
    // A lock, then the backup's own request: its row stays when the lock ends.
    lock(lockThenRequest, VOLUME, 5),
    backupRequested({ backupId: lockThenRequest, createdAt: at(5) }),
    lockEnded(lockThenRequest, VOLUME, 6),
    failed(lockThenRequest, 7),
    // An id requested again after its deletion, on another volume of another project: the row is made again with them.
    backupRequested({ backupId: revived, createdAt: at(8) }),
    failed(revived, 8),
    ...backupDeleted(revived, 9),
    backupRequested({ backupId: revived, volumeId: OTHER_VOLUME, projectId: OTHER_PROJECT, createdAt: at(12) }),
    failed(revived, 13),
    // A record imported over a deleted backup's id, of another volume.
    backupRequested({ backupId: importedOver, createdAt: at(14) }),
    ...backupDeleted(importedOver, 15),
    backupImported({ backupId: importedOver, volumeId: OTHER_VOLUME, importedAt: at(18) }),
    event('BackupRecordExported', { backupId: importedOver, backupService: 'posix', exportedAt: at(19) }),
    // A snapshot's backup, from the snapshot's lock: the snapshot's events name its volume too.
    snapshotCreated({ snapshotId, volumeId: OTHER_VOLUME }),
    event('SnapshotBackupStarted', {
      snapshotId,
      backupId: ofSnapshot,
      startedAt: at(20),
      backup: backupRequested({ backupId: ofSnapshot, volumeId: OTHER_VOLUME, snapshotId, createdAt: at(20) }).data,
    }),
    failed(ofSnapshot, 21),
    event('SnapshotBackupEnded', { snapshotId, backupId: ofSnapshot, outcome: 'failed', endedAt: at(22) }),
  ];
};

describe('a catalog built from a SQLite log in two parts at once, then merged', () => {
  it('splits the projections so that every read model is written in one part', () => {
    const first = partProjections('backups');
    const second = partProjections('others');
    const names = (projections: typeof first) => projections.map((projection) => projection.name);
    // Every projection of the catalog is in one part; the snapshots' is also in the second, for its lookups.
    expect([...names(first), ...names(second)].filter((name) => name !== 'build_backup_owners').sort()).toEqual(
      [...names(CATALOG_PROJECTIONS), snapshotsProjection.name].sort(),
    );
    expect(names(first).filter((name) => names(second).includes(name))).toEqual([snapshotsProjection.name]);
    // and the merge copies every read model of the second part, not one of the first
    expect(OTHERS_TABLES).toEqual(
      expect.arrayContaining(['audit', 'job_outcomes', 'jobs', 'messages', 'operation_totals', 'quota_claims', 'volumes']),
    );
    for (const table of ['backups', 'backup_versions', 'backup_children', 'snapshots', 'projection_checkpoints'])
      expect(OTHERS_TABLES).not.toContain(table);
    expect(OTHERS_TABLES.length).toBe(Object.keys(READ_MODEL_TABLES).length - 8);
  });

  it('holds what a whole build holds, row by row and in its schema, with the backups and snapshots in every shape', async () => {
    // Given a log of a seeded history and the backups whose audit rows read a volume from a row in every shape
    await seedCatalogHistory(store, { backups: 300 });
    await append(store, backupsInEveryShape());

    // When it is built in parts, and whole
    const parts = await build('parts.sqlite');
    const whole = await build('whole.sqlite', { whole: true });

    // Then the parts were built beside and merged, and the two files hold the same rows and schema
    expect(parts).toMatchObject({ where: 'thread', partSeen: true, partLeft: false });
    expect(whole.where).toBe('event loop');
    const [built, reference] = [parts.path, whole.path].map((path) =>
      withFile(path, (db) => ({ rows: dumpCatalog(db), schema: schemaOf(db) })),
    );
    expect(built!.rows).toEqual(reference!.rows);
    expect(built!.schema).toEqual(reference!.schema);
    // and the audit named the volumes as the rows stood
    const audit = (id: string) =>
      withFile(
        parts.path,
        (db) =>
          db
            .prepare("SELECT type, volume_id FROM audit WHERE entity_kind = 'backup' AND entity_id = ? ORDER BY position")
            .raw()
            .all(id) as [string, string | null][],
      );
    expect(audit(shapeId(1))).toEqual([
      ['BackupFailed', VOLUME],
      ['BackupFailed', null],
    ]);
    expect(audit(shapeId(3)).map(([, volume]) => volume)).toEqual([VOLUME, VOLUME, VOLUME, VOLUME, OTHER_VOLUME, OTHER_VOLUME]);
    // and the user messages the projects: none for a failure after a lock-only row went
    const messages = (id: string) =>
      withFile(parts.path, (db) =>
        db.prepare('SELECT project_id FROM messages WHERE resource_uuid = ? ORDER BY created_at').pluck().all(id),
      );
    expect(messages(shapeId(1))).toEqual([PROJECT]);
    expect(messages(shapeId(3))).toEqual([PROJECT, OTHER_PROJECT]);
    expect(audit(shapeId(4)).slice(-2)).toEqual([
      ['BackupImported', OTHER_VOLUME],
      ['BackupRecordExported', OTHER_VOLUME],
    ]);
  }, 60_000);

  it.each([
    { cores: 2, rebuiltInParts: false },
    { cores: 3, rebuiltInParts: true },
  ])(
    'is how a start builds an empty catalog, and how one that serves is rebuilt only with a core to spare for the requests ($cores cores: $rebuiltInParts)',
    async ({ cores, rebuiltInParts }) => {
      // Given a log with history, and a catalog starting on a new file
      await seedCatalogHistory(store, { backups: 300 });
      const path = join(dir, 'catalog.sqlite');
      const catalog = Catalog.open({ path, store, cores });
      try {
        // When it starts, then serves and is asked for a rebuild
        catalog.start();
        const startedInParts = await seenWhile(`${path}.rebuild.part`, catalog.caughtUp());
        const rebuilt = await seenWhile(`${path}.rebuild.part`, catalog.rebuild());

        // Then the start's build was in parts, the rebuild's as the cores allow, and both hold what a whole build holds
        expect([startedInParts, rebuilt]).toEqual([true, rebuiltInParts]);
        const whole = await build('whole.sqlite', { whole: true });
        expect(dumpCatalog(catalog.db)).toEqual(withFile(whole.path, dumpCatalog));
      } finally {
        await catalog.close();
      }
    },
    60_000,
  );

  it('is built whole when a part parks an event, which is reported once and recorded as a whole build records it', async () => {
    // Given a log holding an event the volumes' projection (the first part) cannot apply and the audit (the second) can
    await seedCatalogHistory(store, { backups: 20 });
    const hostile = await append(store, [volumeCreated({ volumeId: 'f0000000-0000-4000-8000-0000000000ff', sizeGb: 2 ** 63 })]);

    // When it is built
    const parked: ProjectionFailed[] = [];
    const parts = await build('parts.sqlite', { onParked: (failure) => parked.push(failure) });
    const whole = await build('whole.sqlite', { whole: true });

    // Then the event was parked once, with none of its effects in any table, as a whole build parks it
    expect(parked.map((failure) => [failure.position, failure.projection])).toEqual([[hostile, 'volumes']]);
    expect(parts.partLeft).toBe(false);
    // (each build parks it at its own time)
    const dumped = (path: string) =>
      withFile(path, (db) => {
        const rows = dumpCatalog(db);
        return { ...rows, projection_failures: rows.projection_failures.map(({ parked_at: _at, ...failure }) => failure) };
      });
    const [built, reference] = [parts.path, whole.path].map(dumped);
    expect(built!.projection_failures).toMatchObject([{ position: hostile, projection: 'volumes' }]);
    expect(built!.audit.at(-1)).not.toMatchObject({ position: hostile });
    expect(built).toEqual(reference);
  }, 60_000);
});
