import { MarkerNotFound } from '../errors';
import {
  allScope,
  at,
  availableBackup,
  backupDeleted,
  backupIdOf,
  backupRequested,
  OTHER_PROJECT,
  openTestCatalog,
  ownScope,
  type TestCatalog,
} from '../testing/catalog-fixtures';

const b = backupIdOf;
let t: TestCatalog;

/**
 * Five backups of project-1 and one of project-2:
 *   1 'alpha'  available  10:10 vol-a
 *   2 'beta'   creating   10:20 vol-a
 *   3 null     available  10:20 vol-b   (same created_at as 2: id breaks the tie)
 *   4 'alpha2' available  10:40 vol-b
 *   5 'gone'   deleted    10:50
 *   6 'other'  available  10:15 (project-2)
 */
beforeAll(async () => {
  t = openTestCatalog();
  await t.given([
    ...availableBackup({ backupId: b(1), name: 'alpha', volumeId: 'vol-a', createdAt: at(10), description: 'first one' }),
    backupRequested({ backupId: b(2), name: 'beta', volumeId: 'vol-a', createdAt: at(20) }),
    ...availableBackup({ backupId: b(3), name: null, volumeId: 'vol-b', createdAt: at(20) }),
    ...availableBackup({ backupId: b(4), name: 'alpha2', volumeId: 'vol-b', createdAt: at(40), sizeGb: 5 }),
    ...availableBackup({ backupId: b(5), name: 'gone', createdAt: at(50) }),
    ...backupDeleted(b(5), 51),
    ...availableBackup({ backupId: b(6), name: 'other', projectId: OTHER_PROJECT, createdAt: at(15) }),
  ]);
});
afterAll(() => t.close());

const ids = (request: Parameters<TestCatalog['catalog']['listBackups']>[0]) => t.catalog.listBackups(request).rows.map((r) => r.id);

describe('listBackups', () => {
  it("lists the caller's live backups, newest first with id as the tie-breaker", () => {
    expect(ids({ scope: ownScope })).toEqual([b(4), b(3), b(2), b(1)]);
  });

  it('lists every project for allProjects', () => {
    expect(ids({ scope: allScope })).toEqual([b(4), b(3), b(2), b(6), b(1)]);
  });

  it('filters exactly on name, status and volume, and by substring with Like', () => {
    expect(ids({ scope: ownScope, filters: { name: 'alpha' } })).toEqual([b(1)]);
    expect(ids({ scope: ownScope, filters: { status: 'available', volumeId: 'vol-b' } })).toEqual([b(4), b(3)]);
    expect(ids({ scope: ownScope, filters: { nameLike: 'alph' } })).toEqual([b(4), b(1)]);
    expect(ids({ scope: ownScope, filters: { descriptionLike: 'first' } })).toEqual([b(1)]);
    // Cinder's LIKE: `%` and `_` in the value are wildcards, letters match either case, a null name never.
    expect(ids({ scope: ownScope, filters: { nameLike: '%' } })).toEqual([b(4), b(2), b(1)]);
    expect(ids({ scope: ownScope, filters: { nameLike: 'AL_HA' } })).toEqual([b(4), b(1)]);
    expect(ids({ scope: allScope, filters: { projectId: OTHER_PROJECT } })).toEqual([b(6)]);
  });

  it('never lists deleted backups, even when asked for them', () => {
    expect(ids({ scope: ownScope, filters: { status: 'deleted' } })).toEqual([]);
  });

  it('sorts on the given keys, NULL names first ascending', () => {
    expect(ids({ scope: ownScope, sort: [{ key: 'name', dir: 'asc' }] })).toEqual([b(3), b(1), b(4), b(2)]);
    expect(ids({ scope: ownScope, sort: [{ key: 'size', dir: 'desc' }] })).toEqual([b(4), b(3), b(2), b(1)]);
  });

  it('pages with limit and marker through every row exactly once, in any sort', () => {
    for (const sort of [[], [{ key: 'name', dir: 'asc' }], [{ key: 'name', dir: 'desc' }], [{ key: 'status', dir: 'asc' }]] as const) {
      const all = ids({ scope: ownScope, sort });
      const paged: string[] = [];
      let marker: string | null = null;
      for (;;) {
        const page = ids({ scope: ownScope, sort, limit: 1, marker });
        if (page.length === 0) break;
        paged.push(...page);
        marker = page[page.length - 1]!;
      }
      expect(paged).toEqual(all);
    }
  });

  it('applies offset after the marker and reports the total ignoring pagination', () => {
    expect(t.catalog.listBackups({ scope: ownScope, marker: b(4), offset: 1, limit: 1 })).toMatchObject({ total: 4 });
    expect(ids({ scope: ownScope, marker: b(4), offset: 1, limit: 1 })).toEqual([b(2)]);
    expect(t.catalog.listBackups({ scope: ownScope, filters: { status: 'available' }, limit: 0 })).toEqual({ rows: [], total: 3 });
  });

  it("refuses a marker the caller cannot see: unknown, deleted or another project's", () => {
    for (const marker of [backupIdOf(99), b(5), b(6)])
      expect(() => t.catalog.listBackups({ scope: ownScope, marker })).toThrow(MarkerNotFound);
  });
});

describe('getBackup scope', () => {
  it("hides another project's backup unless allProjects", () => {
    expect(t.catalog.getBackup(b(6), ownScope)).toBeNull();
    expect(t.catalog.getBackup(b(6), allScope)?.projectId).toBe(OTHER_PROJECT);
  });
});
