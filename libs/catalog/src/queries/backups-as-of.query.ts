import type { CatalogDatabase } from '../schema/catalog-database';
import { yieldToEventLoop } from '../yield-to-event-loop';
import { hasDependentsNow, type BackupRow } from './backup-row';
import { jsonObject, prepared } from './prepared';
import { scopeClause, type Scope } from './scope';

/**
 * A backup as it stood at a past time: the detail view's fields, which is all `backup_versions` keeps.
 * `lastEventPosition` is the position of the event that made this version.
 */
export type PastBackupRow = Omit<
  BackupRow,
  'service' | 'serviceMetadata' | 'restoreVolumeId' | 'deletedAt' | 'sizeBytes' | 'storedBytes' | 'bytesDone' | 'importedFrom'
>;

/**
 * Rows of each table one statement may read. The versions valid at a time are spread over the history, and
 * none of those created after it are: a statement that ran until it found a page of matches read the whole
 * tail alone (127 ms at 100k backups, 270 ms at 1M, every other request waiting). Each statement reads a
 * window of at most this many rows of `backup_versions` and of `backups` and keeps its matches, so none
 * holds the event loop for more than a few milliseconds, however the matches are spread.
 */
export const AS_OF_WINDOW_ROWS = 2000;

/** Both tables name a version's project so. */
const PROJECT = 'v.project_id';

/**
 * Where a backup's versions are (migration 30): those that ended are rows of `backup_versions`, each valid
 * from its event's time up to (not including) the next one's; the current one is the `backups` row itself,
 * valid from `version_from` on (a soft-deleted row is none). Both are read in the same order, by the same key:
 * (created_at, backup id, position of the event that made the version).
 */
const SOURCES = {
  ended: {
    table: 'backup_versions v',
    key: ['v.created_at', 'v.backup_id', 'v.position'],
    order: 'v.created_at, v.backup_id, v.position',
    windowAfter: '(v.created_at, v.backup_id, v.position) > (@afterCreatedAt, @afterId, @afterPosition)',
    windowUpTo: '(v.created_at, v.backup_id, v.position) <= (@upToCreatedAt, @upToId, @upToPosition)',
    validAt: 'v.valid_from <= @asOf AND v.valid_to > @asOf',
  },
  current: {
    table: 'backups v',
    key: ['v.created_at', 'v.id', 'v.last_event_position'],
    // A backup has one row: its id settles the order, and `backups_created` gives it without a sort.
    order: 'v.created_at, v.id',
    // Counted from the backup after the window's start, through the index alone: the position would cost a
    // lookup of every row counted. The start's own backup, if not read yet, is one row more in the window.
    windowAfter: '(v.created_at, v.id) > (@afterCreatedAt, @afterId)',
    windowUpTo: '(v.created_at, v.id) <= (@upToCreatedAt, @upToId)',
    validAt: "v.version_from <= @asOf AND v.status <> 'deleted'",
  },
} as const;
type Source = (typeof SOURCES)[keyof typeof SOURCES];

/**
 * Whether `asOf` is at or after the latest start of any version (migration 32) and past the second of the
 * latest `created_at` (`afterTheSecondOf`):
 * then no version that ended is valid, and every current row's version had begun and its backup been
 * created, so the answer is the current rows as they stand, each backup's dependents as the live listing
 * finds them (`hasDependentsNow`), and the ended versions, most of the catalog, are not read at all. So
 * at any time after the history's end, the usual audit question: there they were read twice (once for each
 * window's end, once for its page) to keep none, and each backup's children were probed row by row, 29% and
 * 22% of the answer's instructions at 238,443 events (2026-12-07). Both maxima are read through an index (or
 * the one row), and decided here rather than by a term of the statements: SQLite tests a subquery term at
 * every row, and the answer took 17% more instead of 29% less.
 */
const isAfterTheEnd = (db: CatalogDatabase, asOf: Date): boolean => {
  const [latest, created] = prepared(
    db,
    'SELECT (SELECT version_from FROM backup_versions_latest WHERE one = 1), (SELECT MAX(created_at) FROM backups)',
  )
    .raw(true)
    .get() as [bigint | number, string | null];
  const time = asOf.getTime();
  return time >= Number(latest) && (created === null || time >= afterTheSecondOf(created));
};

/**
 * The first millisecond after the second of a `created_at`. The largest as text is in the latest second (every
 * `created_at` writes its second the same way), but not the latest time within it: `…:00Z` sorts after
 * `…:00.500Z`. So the whole of that second counts as before the end.
 */
const afterTheSecondOf = (createdAt: string): number => Date.parse(`${createdAt.slice(0, 19)}Z`) + 1000;

const sourcesOf = (afterTheEnd: boolean): readonly Source[] => (afterTheEnd ? [SOURCES.current] : Object.values(SOURCES));

const tuple = (source: Source) => `(${source.key.join(', ')})`;
const after = (source: Source) => `${tuple(source)} > (@afterCreatedAt, @afterId, @afterPosition)`;

/**
 * A backup is in the catalog from its `created_at` on, whatever its events' times say: no version of one
 * created after @asOf counts, so both tables are read only up to it, in the key's order, and a time early in
 * a long history reads the history before it, not the whole catalog. `created_at` is text, ordered as
 * text: @createdBound (the time's second, then `Z`) is at or after every `created_at` of that second
 * (`.` sorts before `Z`) and before any later one, and within that second the exact time decides.
 */
const createdBy = (createdAt: string) => `${createdAt} <= @createdBound
    AND (${createdAt} < @createdSecond OR unixepoch(${createdAt}, 'subsec') * 1000 <= @asOf)`;

/** The parameters of `createdBy`: a time's second as `created_at` writes it (a year of four digits, as every event time has). */
const createdBoundOf = (asOf: Date): { createdSecond: string; createdBound: string } => {
  const iso = asOf.toISOString();
  // Past year 9999 every backup was created before; before year 0, none (`-` sorts before digits).
  if (iso.startsWith('+')) return { createdSecond: '~', createdBound: '~' };
  const second = iso.slice(0, 19);
  return { createdSecond: second, createdBound: `${second}Z` };
};

/**
 * The last key of a table's window that starts after the given one, or none when fewer rows are left (up to
 * @upTo, when `upTo`: the other table's end, beyond which this one's rows cannot end the window).
 */
const windowEndSql = (source: Source, rows: number, upTo: boolean) => `
  SELECT ${source.key.join(', ')} FROM ${source.table}
  WHERE ${source.windowAfter} ${upTo ? `AND ${source.windowUpTo}` : ''} AND ${source.key[0]} <= @createdBound
  ORDER BY ${source.order} LIMIT 1 OFFSET ${rows - 1}`;

type Key = [createdAt: string, id: string, position: bigint];

/** Whether key `a` comes before key `b`, compared by SQLite, which ordered them. */
const before = (db: CatalogDatabase, a: Key, b: Key): boolean =>
  prepared(db, 'SELECT (?, ?, ?) < (?, ?, ?)')
    .pluck(true)
    .get(...a, ...b) === 1n;

/**
 * The last key of the window that starts after `after`: the nearer of each table's, so that neither gives
 * a statement more than `rows` rows; none when both have fewer left. Each end is found by stepping over the
 * table's rows; the second table is stepped only up to the first one's end, since the nearer end is what
 * counts: stepped whole, `backups` was stepped four to five times over (there are that many versions per
 * backup, so a window of 2,000 versions holds about 430 backups), 5% of an answer's instructions.
 */
const windowEnd = (
  db: CatalogDatabase,
  sources: readonly Source[],
  after: Record<string, string | bigint>,
  rows: number,
): Key | undefined => {
  let end: Key | undefined;
  for (const source of sources) {
    const upTo = end ? { upToCreatedAt: end[0], upToId: end[1], upToPosition: end[2] } : {};
    const statement = prepared(db, windowEndSql(source, rows, end !== undefined)).raw(true);
    const key = statement.get({ ...after, ...upTo }) as Key | undefined;
    if (key && (!end || before(db, key, end))) end = key;
  }
  return end;
};

/**
 * Whether the backup `id` had, at @asOf, a version that was a completed child of it: a current row whose
 * backup_children entry says completed, or a version that ended (through the children's partial index); a
 * child created after @asOf was not there yet (`createdBy`). The completed entries first (`CROSS JOIN` keeps
 * SQLite to that order): with the condition on the child's `created_at`, it chose to read every child row by
 * `backups_parent` first: 24 M instructions more of a late answer (1.6%, 238,443 events).
 */
const hasDependentsAt = (id: string) => `(
  EXISTS (SELECT 1 FROM backup_children cc CROSS JOIN backups cb ON cb.id = cc.child_id
    WHERE cc.parent_id = ${id} AND cc.completed = 1 AND cb.parent_id = ${id}
      AND cb.version_from <= @asOf AND cb.status <> 'deleted' AND ${createdBy('cb.created_at')})
  OR EXISTS (SELECT 1 FROM backup_versions c
    WHERE c.parent_id = ${id} AND c.completed = 1 AND c.valid_from <= @asOf AND c.valid_to > @asOf
      AND ${createdBy('c.created_at')}))`;

/**
 * A past backup's fields as SQL expressions over either table's row (`SOURCES`), for a caller's `PastBackupSelect`.
 * Times are text as the events carry them (ISO 8601, `Z`), `metadata` and `verification` JSON text (`verification`
 * NULL or empty when never verified), `hasDependentBackups` 1 or 0, `lastEventPosition` an integer.
 */
export type PastBackupColumns = { readonly [K in keyof PastBackupRow]-?: string };

/**
 * What a caller wants of each backup, as one SQL text expression over `PastBackupColumns`, with its own
 * parameters (named `view…`, apart from the query's). The api's detail view writes Cinder's JSON this way, so
 * a long answer is strings from SQLite to the socket, with no object per backup in between.
 */
export interface PastBackupSelect {
  readonly sql: (columns: PastBackupColumns) => string;
  readonly params: Readonly<Record<`view${string}`, string>>;
}

const columnsOf = (source: Source, afterTheEnd: boolean): PastBackupColumns => {
  const [, id, position] = source.key;
  return {
    id: id!,
    lastEventPosition: position!,
    status: 'v.status',
    size: 'v.size',
    objectCount: 'v.object_count',
    availabilityZone: 'v.availability_zone',
    container: 'v.container',
    createdAt: 'v.created_at',
    updatedAt: 'v.updated_at',
    name: 'v.name',
    description: 'v.description',
    failReason: 'v.fail_reason',
    volumeId: 'v.volume_id',
    snapshotId: 'v.snapshot_id',
    dataTimestamp: 'v.data_timestamp',
    parentId: 'v.parent_id',
    metadata: 'v.metadata',
    projectId: PROJECT,
    userId: 'v.user_id',
    encryptionKeyId: 'v.encryption_key_id',
    lastVerification: 'v.verification',
    lastVerifiedAt: 'v.last_verified_at',
    hasDependentBackups: afterTheEnd ? hasDependentsNow(id!) : hasDependentsAt(id!),
  };
};

/**
 * Both tables come in the key's order (`backup_versions` by its primary key, `backups` by `backups_created`),
 * so SQLite merges them instead of sorting the window's matches. The merge is ordered by (created_at, id):
 * a backup's current row has the newest position of its versions, and for equal keys the merge of a
 * UNION ALL gives its left side first (and `backup_versions` gives a backup's versions by position), which
 * keeps the key's order where one backup shows twice (only when its events' times step back).
 */
const pageSql = (afterTheEnd: boolean, scope: Scope, bounded: boolean, select: PastBackupSelect['sql']) =>
  `${sourcesOf(afterTheEnd)
    .map((source) => {
      const [createdAt, id] = source.key;
      return `
      SELECT ${select(columnsOf(source, afterTheEnd))} AS page_row, ${createdAt} AS k1, ${id} AS k2
      FROM ${source.table}
      WHERE ${after(source)} ${bounded ? `AND ${tuple(source)} <= (@endCreatedAt, @endId, @endPosition)` : ''}
        AND ${createdBy(source.key[0])} AND ${source.validAt} AND ${scopeClause(PROJECT, scope).sql}`;
    })
    .join(' UNION ALL ')}
  ORDER BY k1, k2`;

/**
 * The row `backupsAsOf` gives, as one JSON array of its columns, integers as numbers and the position as
 * text, parsed in JavaScript: building an object and BigInts for every row cost more than SQLite's whole scan
 * (135 against 40 ms for 10,000 backups), and better-sqlite3's arrays of 23 values still cost about 7 µs a
 * row, one call into V8 per value. One string a row and `JSON.parse` took the query from 243–265 to 170–188
 * ms over the 29,144 backups of a 238,443-event catalog (2026-12-06).
 */
const ROW_SELECT: PastBackupSelect = {
  sql: (c) => `json_array(${c.id}, CAST(${c.lastEventPosition} AS TEXT), ${c.status}, ${c.size}, ${c.objectCount},
    ${c.availabilityZone}, ${c.container}, ${c.createdAt}, ${c.updatedAt}, ${c.name}, ${c.description}, ${c.failReason},
    ${c.volumeId}, ${c.snapshotId}, ${c.dataTimestamp}, ${c.parentId}, ${c.metadata}, ${c.projectId}, ${c.userId},
    ${c.encryptionKeyId}, ${c.lastVerification}, ${c.lastVerifiedAt}, ${c.hasDependentBackups})`,
  params: {},
};

type Raw = [
  id: string,
  position: string,
  status: string,
  size: number,
  objectCount: number,
  availabilityZone: string | null,
  container: string | null,
  createdAt: string,
  updatedAt: string,
  name: string | null,
  description: string | null,
  failReason: string | null,
  volumeId: string,
  snapshotId: string | null,
  dataTimestamp: string,
  parentId: string | null,
  metadata: string,
  projectId: string,
  userId: string,
  encryptionKeyId: string | null,
  verification: string | null,
  lastVerifiedAt: string | null,
  hasDependentBackups: number,
];

const toPastBackupRow = (r: Raw): PastBackupRow => ({
  id: r[0],
  lastEventPosition: BigInt(r[1]),
  status: r[2],
  size: r[3],
  objectCount: r[4],
  availabilityZone: r[5],
  container: r[6],
  createdAt: r[7],
  updatedAt: r[8],
  name: r[9],
  description: r[10],
  failReason: r[11],
  volumeId: r[12],
  snapshotId: r[13],
  dataTimestamp: r[14],
  parentId: r[15],
  metadata: jsonObject(r[16]),
  projectId: r[17],
  userId: r[18],
  encryptionKeyId: r[19],
  lastVerification: r[20] ? (JSON.parse(r[20]) as Record<string, unknown>) : null,
  lastVerifiedAt: r[21],
  hasDependentBackups: r[22] === 1,
});

/**
 * `backupsAsOfSelected` as rows: the form the specs read `as_of`'s meaning through, and the reference the api's
 * detail view written by SQLite is held to (`backup-detail.sql.spec.ts`). No route reads it.
 */
export async function* backupsAsOf(
  db: () => CatalogDatabase,
  asOf: Date,
  scope: Scope,
  windowRows = AS_OF_WINDOW_ROWS,
): AsyncGenerator<PastBackupRow> {
  for await (const texts of backupsAsOfSelected(db, asOf, scope, ROW_SELECT, windowRows))
    for (const text of texts) yield toPastBackupRow(JSON.parse(text) as Raw);
}

/**
 * `GET /strata/v1/backups?as_of=…`: the backups the scope may see as they stood at `asOf`, by the time
 * each event carries (an import keeps it), oldest first (created_at, id). Read from the ended versions
 * and the current rows (`SOURCES`; after the history's end the current rows alone, `isAfterTheEnd`) in their
 * shared key order, a window of rows at a time through `db()`
 * (the connection a rebuild may replace), with a turn of the event loop between windows: no statement stays
 * open while the caller streams, memory is one window, and a long answer does not hold the other requests.
 * A scope of one project reads the same rows and keeps its own: no index per project, both are read in
 * the listing's order already (`backup_versions` by its key, `backups` by `backups_created`).
 * Each backup comes as the caller's `select` of it (one text a backup), a window's worth per item.
 */
export async function* backupsAsOfSelected(
  db: () => CatalogDatabase,
  asOf: Date,
  scope: Scope,
  select: PastBackupSelect,
  windowRows = AS_OF_WINDOW_ROWS,
): AsyncGenerator<string[]> {
  const scoped = scopeClause(PROJECT, scope);
  const created = createdBoundOf(asOf);
  let after: Record<string, string | bigint> = { afterCreatedAt: '', afterId: '', afterPosition: -1n };
  for (;;) {
    const conn = db();
    // One snapshot for the window: whether the time is after the end, where the window ends and its page. Read
    // apart, a version ended after @asOf by a write between them would leave its backup out of a page of
    // current rows.
    const { end, page } = conn.transaction(() => {
      const afterTheEnd = isAfterTheEnd(conn, asOf);
      const end = windowEnd(conn, sourcesOf(afterTheEnd), { ...after, createdBound: created.createdBound }, windowRows);
      const bound = end ? { endCreatedAt: end[0], endId: end[1], endPosition: end[2] } : {};
      const statement = prepared(conn, pageSql(afterTheEnd, scope, end !== undefined, select.sql)).pluck(true);
      const params = { ...select.params, ...scoped.params, ...after, ...bound, ...created, asOf: asOf.getTime() };
      return { end, page: statement.all(params) as string[] };
    })();
    yield page;
    if (!end) return;
    after = { afterCreatedAt: end[0], afterId: end[1], afterPosition: end[2] };
    await yieldToEventLoop();
  }
}
