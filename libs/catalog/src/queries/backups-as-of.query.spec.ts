import {
  allScope,
  at,
  availableBackup,
  backupCompleted,
  backupDeleted,
  backupIdOf,
  backupImported,
  backupRequested,
  backupStarted,
  chunkWritten,
  event,
  OTHER_PROJECT,
  openTestCatalog,
  ownScope,
  VOLUME,
  volumeCreated,
  type TestCatalog,
} from '../testing/catalog-fixtures';
import { AS_OF_WINDOW_ROWS, backupsAsOf, type PastBackupRow } from './backups-as-of.query';
import type { Scope } from './scope';

const FULL = backupIdOf(1);
const INCREMENTAL = backupIdOf(2);

let t: TestCatalog;
beforeEach(async () => {
  t = openTestCatalog();
  await t.given([
    volumeCreated(),
    ...availableBackup({ backupId: FULL }),
    backupRequested({ backupId: INCREMENTAL, parentId: FULL, incremental: true, createdAt: at(20) }),
    { type: 'BackupCompleted', data: { backupId: INCREMENTAL, objectCount: 1, sizeBytes: 1, storedBytes: 1, completedAt: at(21) } },
    ...backupDeleted(INCREMENTAL, 30),
    backupRequested({ backupId: backupIdOf(3), projectId: OTHER_PROJECT, createdAt: at(22) }),
  ]);
});
afterEach(() => t.close());

const asOf = async (minute: number, scope: Scope = ownScope) => {
  const rows: PastBackupRow[] = [];
  for await (const row of backupsAsOf(() => t.catalog.db, new Date(at(minute)), scope)) rows.push(row);
  return rows;
};
const statusesAt = async (minute: number, scope: Scope = ownScope) =>
  (await asOf(minute, scope)).map((b) => [b.id, b.status, b.hasDependentBackups]);

describe('backups as of a past time', () => {
  it('knows nothing before the first event', async () => {
    expect(await statusesAt(5)).toEqual([]);
  });

  it('shows a backup as it was mid-way', async () => {
    expect(await statusesAt(11)).toEqual([[FULL, 'creating', false]]);
  });

  it('shows a backup as its last event at or before the time left it: the time is inclusive', async () => {
    expect((await asOf(12)).map((b) => [b.status, b.objectCount, b.updatedAt])).toEqual([['creating', 2, at(12)]]);
    expect(await statusesAt(13)).toEqual([[FULL, 'available', false]]);
  });

  it('shows a chain with its dependent flag, before the deletion', async () => {
    expect(await statusesAt(25)).toEqual([
      [FULL, 'available', true],
      [INCREMENTAL, 'available', false],
    ]);
  });

  it('shows a backup deleted after that time, as it was then', async () => {
    expect(await statusesAt(30)).toEqual([
      [FULL, 'available', true],
      [INCREMENTAL, 'deleting', false],
    ]);
  });

  it('leaves out what was deleted by then', async () => {
    expect(await statusesAt(40)).toEqual([[FULL, 'available', false]]);
  });

  it('leaves out a backup created after that time', async () => {
    expect(await statusesAt(15)).toEqual([[FULL, 'available', false]]);
  });

  it("shows other projects' backups only to a scope over all projects", async () => {
    expect((await asOf(25, allScope)).map((b) => b.id)).toEqual([FULL, INCREMENTAL, backupIdOf(3)]);
    expect((await asOf(25, { projectId: OTHER_PROJECT, allProjects: false })).map((b) => b.id)).toEqual([backupIdOf(3)]);
  });

  it('shows the old name before a rename and the new one from it on', async () => {
    await t.given([{ type: 'BackupUpdated', data: { backupId: FULL, name: 'renamed', metadata: { k: 'v' }, updatedAt: at(50) } }]);

    expect((await asOf(49)).map((b) => [b.name, b.metadata])).toEqual([['nightly', {}]]);
    expect((await asOf(50)).map((b) => [b.name, b.metadata, b.updatedAt])).toEqual([['renamed', { k: 'v' }, at(50)]]);
  });

  it('shows a backup requested by its lock while the lock held it, and not once the lock let it go without it', async () => {
    const lockOnly = backupIdOf(9);
    const requested = backupRequested({ backupId: lockOnly, createdAt: at(60) }).data;
    await t.given([
      event('VolumeBackupStarted', {
        volumeId: VOLUME,
        backupId: lockOnly,
        previousStatus: 'available',
        startedAt: at(60),
        backup: requested,
      }),
      event('VolumeBackupEnded', { volumeId: VOLUME, backupId: lockOnly, outcome: 'failed', status: 'available', endedAt: at(62) }),
    ]);

    expect(await statusesAt(61)).toEqual([
      [FULL, 'available', false],
      [lockOnly, 'creating', false],
    ]);
    expect(await statusesAt(62)).toEqual([[FULL, 'available', false]]);
  });

  it('reads the versions that ended from backup_versions and the current one from the backup row (migration 30)', () => {
    const ms = (minute: number) => Date.parse(at(minute));
    const ended = (id: string) =>
      t.catalog.db.prepare('SELECT status, valid_from, valid_to FROM backup_versions WHERE backup_id = ? ORDER BY position').all(id);
    const current = (id: string) => t.catalog.db.prepare('SELECT status, version_from FROM backups WHERE id = ?').get(id);

    expect(ended(INCREMENTAL)).toEqual([
      { status: 'creating', valid_from: ms(20), valid_to: ms(21) },
      { status: 'available', valid_from: ms(21), valid_to: ms(30) },
      { status: 'deleting', valid_from: ms(30), valid_to: ms(31) },
    ]);
    // Soft-deleted: no version of it is current.
    expect(current(INCREMENTAL)).toEqual({ status: 'deleted', version_from: null });
    // Its two objects were recorded at minute 12: the version between them began and ended then, and no
    // time sees it (migration 34). The one after the second object shows both.
    expect(ended(FULL)).toEqual([
      { status: 'creating', valid_from: ms(10), valid_to: ms(11) },
      { status: 'creating', valid_from: ms(11), valid_to: ms(12) },
      { status: 'creating', valid_from: ms(12), valid_to: ms(13) },
    ]);
    expect(current(FULL)).toEqual({ status: 'available', version_from: ms(13) });
  });

  it('keeps the latest start of any version, which a version begun back in time does not lower (migration 32)', async () => {
    const latest = () => t.catalog.db.prepare('SELECT version_from FROM backup_versions_latest').pluck().get();
    // INCREMENTAL's deletion began its last version (the soft-deleted row keeps none) at minute 31.
    expect(latest()).toBe(Date.parse(at(31)));

    await t.given([backupStarted(backupIdOf(3), 25)]);
    expect(latest()).toBe(Date.parse(at(31)));

    await t.given([backupRequested({ backupId: backupIdOf(4), createdAt: at(35) })]);
    expect(latest()).toBe(Date.parse(at(35)));

    await t.given([backupCompleted(backupIdOf(3), 40)]);
    expect(latest()).toBe(Date.parse(at(40)));
  });

  describe('at or after the latest start of any version and the latest created_at: the current rows as they stand', () => {
    /** The SQL of every statement the answer prepares (none is prepared before it on a test's catalog). */
    const statementsOf = async (minute: number) => {
      const prepare = jest.spyOn(t.catalog.db, 'prepare');
      try {
        const rows = await statusesAt(minute, allScope);
        return { rows, sql: prepare.mock.calls.map(([sql]) => sql) };
      } finally {
        prepare.mockRestore();
      }
    };
    const readsEnded = (sql: string[]) => sql.some((text) => /\bbackup_versions\b/.test(text));

    it('finds a backup’s dependents as the live listing does', async () => {
      await t.given([
        backupRequested({ backupId: backupIdOf(5), parentId: FULL, incremental: true, createdAt: at(32) }),
        backupCompleted(backupIdOf(5), 33),
        backupRequested({ backupId: backupIdOf(6), parentId: backupIdOf(5), incremental: true, createdAt: at(34) }),
      ]);

      expect((await statementsOf(34)).rows).toEqual([
        [FULL, 'available', true],
        [backupIdOf(3), 'creating', false],
        [backupIdOf(5), 'available', false],
        [backupIdOf(6), 'creating', false],
      ]);
    });

    it('is not reached while a backup was yet to be created: one imported with a created_at after its import', async () => {
      const child = backupIdOf(5);
      await t.given([backupImported({ backupId: child, parentId: FULL, createdAt: at(60), dataTimestamp: at(60), importedAt: at(40) })]);

      expect((await statementsOf(50)).rows).toEqual([
        [FULL, 'available', false],
        [backupIdOf(3), 'creating', false],
      ]);
      expect((await statusesAt(60, allScope))[0]).toEqual([FULL, 'available', true]);
    });

    it('is not reached within the second of the latest created_at, which text with and without milliseconds orders apart', async () => {
      // `…:00Z` sorts after `…:00.500Z` as text, but is the earlier time: the latest by text is not the latest.
      const second = at(60).replace('.000Z', '');
      await t.given([
        backupImported({ backupId: backupIdOf(5), parentId: FULL, createdAt: `${second}.500Z`, importedAt: at(40) }),
        backupImported({ backupId: backupIdOf(6), createdAt: `${second}Z`, importedAt: at(40) }),
      ]);
      const ids = async (time: string) => {
        const rows: [string, boolean][] = [];
        for await (const b of backupsAsOf(() => t.catalog.db, new Date(time), allScope)) rows.push([b.id, b.hasDependentBackups]);
        return rows;
      };

      expect(await ids(`${second}.200Z`)).toEqual([
        [FULL, false],
        [backupIdOf(3), false],
        [backupIdOf(6), false],
      ]);
      expect((await ids(`${second}.500Z`))[0]).toEqual([FULL, true]);
    });

    it('reads the current rows alone: not one of the versions that ended', async () => {
      const after = await statementsOf(31);
      const before = await statementsOf(30);

      expect(after.rows).toEqual([
        [FULL, 'available', false],
        [backupIdOf(3), 'creating', false],
      ]);
      expect(readsEnded(after.sql)).toBe(false);
      expect(before.rows).toEqual([
        [FULL, 'available', true],
        [INCREMENTAL, 'deleting', false],
        [backupIdOf(3), 'creating', false],
      ]);
      expect(readsEnded(before.sql)).toBe(true);
    });

    it('still shows a backup whose version a write during the answer ended after the time, as it was then', async () => {
      const answer = backupsAsOf(() => t.catalog.db, new Date(at(40)), allScope, 1);
      const first = await answer.next();

      await t.given([backupStarted(backupIdOf(3), 50)]);
      const rest: unknown[] = [];
      for await (const b of answer) rest.push([b.id, b.status]);

      expect(first.value).toMatchObject({ id: FULL, status: 'available' });
      expect(rest).toEqual([[backupIdOf(3), 'creating']]);
    });
  });

  it('gives the same answer with windows of any size, at every minute of the history', async () => {
    await t.given([
      ...availableBackup({ backupId: backupIdOf(4), createdAt: at(10) }),
      ...backupDeleted(backupIdOf(4), 16),
      backupRequested({ backupId: backupIdOf(5), parentId: FULL, incremental: true, createdAt: at(14) }),
      backupStarted(backupIdOf(5), 15),
      backupCompleted(backupIdOf(5), 24),
    ]);
    const windowed = async (minute: number, rows: number) => {
      const out: unknown[] = [];
      for await (const b of backupsAsOf(() => t.catalog.db, new Date(at(minute)), allScope, rows))
        out.push([b.id, b.status, b.objectCount, b.lastEventPosition, b.hasDependentBackups]);
      return out;
    };

    for (let minute = 9; minute <= 41; minute++) {
      const whole = await windowed(minute, AS_OF_WINDOW_ROWS);
      for (const rows of [1, 2, 3]) expect([minute, rows, await windowed(minute, rows)]).toEqual([minute, rows, whole]);
    }
    expect(await windowed(15, 1)).toHaveLength(3);
  });

  it('places history imported later, with its old times, where those times say', async () => {
    const older = backupIdOf(7);
    await t.given([
      backupRequested({ backupId: older, name: 'from-another-site', createdAt: at(-100) }),
      backupStarted(older, -99),
      chunkWritten(older, 1, { writtenAt: at(-98) }),
      backupCompleted(older, -97),
      ...backupDeleted(older, -50),
    ]);

    expect((await asOf(-98)).map((b) => [b.id, b.status, b.objectCount])).toEqual([[older, 'creating', 1]]);
    expect((await asOf(-60)).map((b) => [b.id, b.name, b.status])).toEqual([[older, 'from-another-site', 'available']]);
    expect(await asOf(-40)).toEqual([]);
    expect((await asOf(25)).map((b) => b.id)).toEqual([FULL, INCREMENTAL]);
  });

  describe('a long history, read a window of rows at a time with turns of the event loop between', () => {
    const many = Array.from({ length: AS_OF_WINDOW_ROWS + 500 }, (_, i) =>
      backupRequested({ backupId: backupIdOf(10_000 + i), createdAt: at(70) }),
    );
    beforeEach(() => t.given(many));

    const turnsWhile = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
      let turns = 0;
      const tick = setInterval(() => (turns += 1), 0);
      const result = await work();
      clearInterval(tick);
      return [result, turns];
    };

    it('gives more backups than a window whole and in order, and lets other work run between the windows', async () => {
      const [rows, turns] = await turnsWhile(() => asOf(70));

      expect(turns).toBeGreaterThan(0);
      const ids = rows.map((b) => b.id);
      expect(ids).toHaveLength(many.length + 1);
      expect(ids.slice(1)).toEqual(many.map((e) => e.data.backupId));
    });

    it('reads the versions that do not match a window at a time too: a long history deleted before the time holds no request', async () => {
      await t.given(many.flatMap((e) => backupDeleted(e.data.backupId, 71)));

      const [rows, turns] = await turnsWhile(() => statusesAt(75));

      expect(turns).toBeGreaterThan(0);
      expect(rows).toEqual([[FULL, 'available', false]]);
    });

    it('reads nothing created after the time: a time early in a long history reads the history before it, in one statement', async () => {
      const [rows, turns] = await turnsWhile(() => statusesAt(25));

      expect(turns).toBe(0);
      expect(rows).toEqual([
        [FULL, 'available', true],
        [INCREMENTAL, 'available', false],
      ]);
    });
  });

  it('shows a backup from its created_at on, even where its events carry earlier times', async () => {
    const late = backupIdOf(8);
    const createdAt = at(50);
    await t.given([
      backupRequested({ backupId: late, parentId: FULL, incremental: true, createdAt }),
      backupStarted(late, 45),
      backupCompleted(late, 46),
    ]);
    const justBefore = new Date(Date.parse(createdAt) - 1);
    const idsAt = async (time: Date) => {
      const rows: [string, boolean][] = [];
      for await (const b of backupsAsOf(() => t.catalog.db, time, ownScope)) rows.push([b.id, b.hasDependentBackups]);
      return rows;
    };

    expect(await idsAt(justBefore)).toEqual([[FULL, false]]);
    expect(await idsAt(new Date(createdAt))).toEqual([
      [FULL, true],
      [late, false],
    ]);
  });

  it('is kept by a rebuild, from the log alone', async () => {
    const before = await asOf(30);

    await t.catalog.rebuild();

    expect(await asOf(30)).toEqual(before);
  });
});
