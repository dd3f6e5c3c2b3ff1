import { decodeStrataEvent } from '@strata/domain';
import Database from 'better-sqlite3';
import type { RecordedEvent } from '@strata/event-store';
import {
  at,
  availableBackup,
  backupCompleted,
  backupIdOf,
  backupRequested,
  chunkWritten,
  event,
  GIB,
  openTestCatalog,
  type TestCatalog,
} from '../testing/catalog-fixtures';
import { operationsMetrics } from '../queries/operations-metrics.query';
import { migrateCatalog } from '../schema/catalog-database';
import { MIGRATIONS } from '../schema/migrations';
import { operationTotalsProjection } from './operation-totals.projection';
import type { Projection, ProjectionTx } from './projection';
import { sqliteProjectionTx } from './sqlite-projection-tx';

const first = backupIdOf(1);
const second = backupIdOf(2);
const restore = (minute: number) =>
  event('RestoreRequested', { backupId: first, volumeId: 'target', volumeIsNew: true, requestedAt: at(minute) });

/** Two backups (one failed), a restore that failed and its retry that completed. */
const history = [
  ...availableBackup(),
  backupRequested({ backupId: second, createdAt: at(20) }),
  chunkWritten(second, 1, { storedBytes: 300, writtenAt: at(21) }),
  event('BackupFailed', { backupId: second, reason: 'disk gone', failedAt: at(22) }),
  restore(30),
  event('RestoreFailed', { backupId: first, volumeId: 'target', reason: 'volume gone', failedAt: at(31) }),
  restore(40),
  event('RestoreCompleted', { backupId: first, volumeId: 'target', bytesWritten: GIB, completedAt: at(45) }),
];

const readAll = async (t: TestCatalog): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for await (const e of t.store.readAll()) events.push(e);
  return events;
};

let t: TestCatalog;
beforeEach(() => {
  t = openTestCatalog();
});
afterEach(() => t.close());

/** A projection applied to a recorded event, decoded as the runner decodes it. */
const applyRecorded = (projection: Projection, tx: ProjectionTx, recorded: RecordedEvent) =>
  projection.apply(tx, decodeStrataEvent(recorded)!.event, recorded);

const AUDIT_V3_COLUMNS = [
  'position',
  'event_id',
  'stream_id',
  'revision',
  'type',
  'entity_kind',
  'entity_id',
  'occurred_at',
  'recorded_at',
  'user_id',
  'project_id',
  'correlation_id',
  'causation_id',
  'request_id',
  'data',
];

describe('operation totals projection', () => {
  it('given backups and restores, keeps the totals and each job duration from its latest request', async () => {
    await t.given(history);

    const m = t.catalog.operationsMetrics();

    expect(m.totals).toEqual({
      backupsCompleted: 1,
      backupsFailed: 1,
      restoresCompleted: 1,
      restoresFailed: 1,
      backupBytesRead: GIB,
      backupBytesWritten: 2000,
      objectBytesUncompressed: 3 * 512 * 1024 * 1024,
      objectBytesStored: 2300,
      restoreBytesWritten: GIB,
    });
    expect(m.jobDurations.map((d) => ({ kind: d.kind, outcome: d.outcome, count: d.count, seconds: Math.round(d.sum) }))).toEqual([
      { kind: 'backup', outcome: 'completed', count: 1, seconds: 180 },
      { kind: 'backup', outcome: 'failed', count: 1, seconds: 120 },
      { kind: 'restore', outcome: 'completed', count: 1, seconds: 300 },
      { kind: 'restore', outcome: 'failed', count: 1, seconds: 60 },
    ]);
  });

  it('given a restore that ends with no request before it in the log, counts it and records no duration', async () => {
    await t.given([
      ...availableBackup(),
      event('RestoreCompleted', { backupId: first, volumeId: 'target', bytesWritten: GIB, completedAt: at(45) }),
    ]);

    const m = t.catalog.operationsMetrics();

    expect(m.totals.restoresCompleted).toBe(1);
    expect(m.jobDurations.map((d) => `${d.kind} ${d.outcome} ${d.count}`)).toEqual([
      'backup completed 1',
      'backup failed 0',
      'restore completed 0',
      'restore failed 0',
    ]);
  });

  it('does not read the audit log: the figures stay when it is emptied', async () => {
    await t.given(history);
    const before = t.catalog.operationsMetrics();

    t.catalog.db.exec('DELETE FROM audit');

    expect(t.catalog.operationsMetrics()).toEqual(before);
  });

  it('counts an event once when it is delivered again', async () => {
    await t.given([backupRequested(), chunkWritten(first, 1)]);
    const [, chunk] = await readAll(t);
    const before = t.catalog.operationsMetrics().totals;

    const tx = sqliteProjectionTx(t.catalog.db);
    t.catalog.db.transaction(() => applyRecorded(operationTotalsProjection, tx, chunk!))();

    expect(t.catalog.operationsMetrics().totals).toEqual(before);
  });

  it('given a catalog whose audit log predates the totals, migration 4 fills them as the projection would have', async () => {
    await t.given(history);
    const events = await readAll(t);
    const older = new Database(':memory:');
    try {
      for (const migration of MIGRATIONS.filter((m) => m.version < 4)) older.exec(migration.sql);
      older.pragma('user_version = 3');
      // The audit rows as the audit projection of that time wrote them (its columns only). Today's audit
      // keeps neither the data (migration 23) nor who asked and when it was recorded (migration 29): those
      // come from the events, as the old rows held them.
      const columns = AUDIT_V3_COLUMNS.join(', ');
      const logged = new Map(events.map((e) => [e.position, e]));
      const rows = (
        t.catalog.db
          .prepare('SELECT position, event_id, stream_id, revision, type, entity_kind, entity_id, occurred_at FROM audit ORDER BY position')
          .safeIntegers(true)
          .all() as Record<string, unknown>[]
      ).map((row) => {
        const e = logged.get(row.position as bigint)!;
        const m = e.metadata as Record<string, string | undefined>;
        return {
          ...row,
          recorded_at: e.createdAt,
          user_id: m.userId ?? null,
          project_id: m.projectId ?? null,
          correlation_id: m.correlationId ?? null,
          causation_id: m.causationId ?? null,
          request_id: m.requestId ?? null,
          data: JSON.stringify(e.data),
        };
      });
      const insert = older.prepare(`INSERT INTO audit (${columns}) VALUES (${AUDIT_V3_COLUMNS.map((c) => `@${c}`).join(', ')})`);
      older.transaction(() => {
        for (const row of rows) insert.run(row as Record<string, unknown>);
      })();

      migrateCatalog(older, 25);

      expect(operationsMetrics(older).totals).toEqual(t.catalog.operationsMetrics().totals);
      expect(operationsMetrics(older).jobDurations).toEqual(t.catalog.operationsMetrics().jobDurations);
      // Events the audit log already held are not counted again; later ones are.
      const next = backupCompleted(second, 50);
      older.transaction(() => {
        for (const e of events) applyRecorded(operationTotalsProjection, sqliteProjectionTx(older), e);
        applyRecorded(operationTotalsProjection, sqliteProjectionTx(older), {
          ...events[0]!,
          position: events.at(-1)!.position + 1n,
          type: next.type,
          data: next.data,
        });
      })();
      expect(operationsMetrics(older).totals.backupsCompleted).toBe(2);
      expect(operationsMetrics(older).totals.restoresCompleted).toBe(1);
    } finally {
      older.close();
    }
  });
});
