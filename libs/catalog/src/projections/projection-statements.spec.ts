import { openMemoryEventStore, type RecordedEvent } from '@strata/event-store';
import Database from 'better-sqlite3';
import { applyBatch } from '../apply-batch';
import { migrateCatalog } from '../schema/catalog-database';
import {
  append,
  at,
  availableBackup,
  backupDeleted,
  backupIdOf,
  backupRequested,
  chunkWritten,
  event,
  GIB,
  volumeCreated,
} from '../testing/catalog-fixtures';
import { CATALOG_PROJECTIONS } from './index';
import { sqliteProjectionTx } from './sqlite-projection-tx';

const first = backupIdOf(1);
const second = backupIdOf(2);

/** Backups that complete, fail, are restored and deleted: the statements of every path a backup takes. */
const history = [
  volumeCreated(),
  ...availableBackup(),
  backupRequested({ backupId: second, createdAt: at(20) }),
  chunkWritten(second, 1, { storedBytes: 300, writtenAt: at(21) }),
  event('BackupFailed', { backupId: second, reason: 'disk gone', failedAt: at(22) }),
  event('RestoreRequested', { backupId: first, volumeId: 'target', volumeIsNew: true, requestedAt: at(30) }),
  event('RestoreCompleted', { backupId: first, volumeId: 'target', bytesWritten: GIB, completedAt: at(35) }),
  ...backupDeleted(first, 40),
  ...backupDeleted(second, 42),
];

/**
 * What a catalog build costs is its statements, one after another for every event, so none of them may
 * need a temporary b-tree: an UPDATE that searches the index it changes, or an INSERT … SELECT into a
 * table with a trigger, makes SQLite open, fill and free one on every run (about half the events of a
 * build did, 2026-12-06).
 */
describe('the projections’ statements', () => {
  it('given the events of a backup’s every path, when the runner projects them, then no statement it runs needs a temporary b-tree', async () => {
    const store = openMemoryEventStore();
    const db = new Database(':memory:');
    try {
      await append(store, history);
      const recorded: RecordedEvent[] = [];
      for await (const e of store.readAll()) recorded.push(e);
      migrateCatalog(db);
      const prepared: string[] = [];
      const prepare = db.prepare.bind(db);
      jest.spyOn(db, 'prepare').mockImplementation(((sql: string) => {
        prepared.push(sql);
        return prepare(sql);
      }) as never);

      const target = { db, tx: sqliteProjectionTx(db), projections: CATALOG_PROJECTIONS, checkpointName: 'spec' };
      applyBatch(target, 0n, { events: recorded, upTo: recorded.at(-1)!.position });
      // Every event was applied: none was parked by a projection that failed on it.
      expect(prepare('SELECT COUNT(*) AS n FROM projection_failures').get()).toEqual({ n: 0 });

      expect(prepared.length).toBeGreaterThan(20);
      const withTemporaryTree = prepared.filter((sql) => {
        // The projections' statements bind by position; the runner's own (the checkpoint) by name.
        const named = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map(([, name]) => [name, null]));
        const binds = [...new Array<null>((sql.match(/\?/g) ?? []).length).fill(null), named];
        const program = prepare(`EXPLAIN ${sql}`).all(...binds) as { opcode: string }[];
        return program.some((step) => step.opcode === 'OpenEphemeral');
      });
      expect(withTemporaryTree).toEqual([]);
    } finally {
      db.close();
      await store.close();
    }
  });
});
