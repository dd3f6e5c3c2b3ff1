import type { CatalogDatabase } from '../schema/catalog-database';
import { yieldToEventLoop } from '../yield-to-event-loop';
import type { BackupRow } from './backup-row';
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
 * Rows of the table one statement may read. The versions valid at a time are spread over the table, and
 * none of those created after it are: a statement that ran until it found a page of matches read the whole
 * tail alone (127 ms at 100k backups, 270 ms at 1M, every other request waiting). Each statement reads a
 * window of at most this many rows and keeps its matches, so none holds the event loop for more than a few
 * milliseconds, however the matches are spread.
 */
export const AS_OF_WINDOW_ROWS = 2000;

/** A version whose interval holds @asOf: from its event's time up to (not including) the next one's. */
const VALID_AT = 'v.valid_from <= @asOf AND (v.valid_to IS NULL OR v.valid_to > @asOf)';

/** The table's key: several versions of one backup may straddle a window's end. */
const AFTER = '(v.created_at, v.backup_id, v.position) > (@afterCreatedAt, @afterId, @afterPosition)';

/** The last key of the window that starts after the given one, or none when fewer rows are left. */
const windowEndSql = (rows: number) => `
  SELECT v.created_at, v.backup_id, v.position FROM backup_versions v
  WHERE ${AFTER} ORDER BY v.created_at, v.backup_id, v.position LIMIT 1 OFFSET ${rows - 1}`;

/**
 * Each row comes back as one JSON array of its columns, integers as numbers and the position as text, parsed
 * in JavaScript: building an object and BigInts for every row cost more than SQLite's whole scan (135
 * against 40 ms for 10,000 backups), and better-sqlite3's arrays of 23 values still cost about 7 µs a row,
 * one call into V8 per value. One string a row and `JSON.parse` took the query from 243–265 to 170–188 ms
 * over the 29,144 backups of a 238,443-event catalog (2026-12-06).
 */
const pageSql = (scope: string, bounded: boolean) => `
  SELECT json_array(v.backup_id, CAST(v.position AS TEXT), v.status, v.size, v.object_count, v.availability_zone,
    v.container, v.created_at, v.updated_at, v.name, v.description, v.fail_reason, v.volume_id, v.snapshot_id,
    v.data_timestamp, v.parent_id, v.metadata, v.project_id, v.user_id, v.encryption_key_id, v.verification,
    v.last_verified_at, EXISTS (
      SELECT 1 FROM backup_versions c
      WHERE c.parent_id = v.backup_id AND c.completed = 1
        AND c.valid_from <= @asOf AND (c.valid_to IS NULL OR c.valid_to > @asOf)
    ))
  FROM backup_versions v
  WHERE ${AFTER} ${bounded ? 'AND (v.created_at, v.backup_id, v.position) <= (@endCreatedAt, @endId, @endPosition)' : ''}
    AND ${VALID_AT} AND ${scope}
  ORDER BY v.created_at, v.backup_id, v.position`;

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
 * `GET /strata/v1/backups?as_of=…`: the backups the scope may see as they stood at `asOf`, by the time
 * each event carries (an import keeps it), oldest first (created_at, id). Read from `backup_versions`, in
 * the table's own order, a window of rows at a time through `db()` (the connection a rebuild may replace),
 * with a turn of the event loop between windows: no statement stays open while the caller streams, memory
 * is one window, and a long answer does not hold the other requests. A scope of one project reads the same
 * rows and keeps its own: no index per project, the table is in the listing's order already.
 */
export async function* backupsAsOf(
  db: () => CatalogDatabase,
  asOf: Date,
  scope: Scope,
  windowRows = AS_OF_WINDOW_ROWS,
): AsyncGenerator<PastBackupRow> {
  const scoped = scopeClause('v.project_id', scope);
  let after: Record<string, string | bigint> = { afterCreatedAt: '', afterId: '', afterPosition: -1n };
  for (;;) {
    const end = prepared(db(), windowEndSql(windowRows)).raw(true).get(after) as
      [createdAt: string, id: string, position: bigint] | undefined;
    const bound = end ? { endCreatedAt: end[0], endId: end[1], endPosition: end[2] } : {};
    const statement = prepared(db(), pageSql(scoped.sql, end !== undefined)).pluck(true);
    const rows = statement.all({ ...scoped.params, ...after, ...bound, asOf: asOf.getTime() }) as string[];
    for (const row of rows) yield toPastBackupRow(JSON.parse(row) as Raw);
    if (!end) return;
    after = { afterCreatedAt: end[0], afterId: end[1], afterPosition: end[2] };
    await yieldToEventLoop();
  }
}
