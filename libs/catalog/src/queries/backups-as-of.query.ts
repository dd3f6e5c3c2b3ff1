import type { CatalogDatabase } from '../schema/catalog-database';
import { yieldToEventLoop } from '../yield-to-event-loop';
import type { BackupRow } from './backup-row';
import { int, jsonObject, prepared } from './prepared';
import { scopeClause, type Scope } from './scope';

/**
 * A backup as it stood at a past time: the detail view's fields, which is all `backup_versions` keeps.
 * `lastEventPosition` is the position of the event that made this version.
 */
export type PastBackupRow = Omit<
  BackupRow,
  'service' | 'serviceMetadata' | 'restoreVolumeId' | 'deletedAt' | 'sizeBytes' | 'storedBytes' | 'bytesDone' | 'importedFrom'
>;

/** Rows read per statement: the iterator holds no statement open between pages, and other requests run between them. */
const PAGE = 500;

/** A version whose interval holds @asOf: from its event's time up to (not including) the next one's. */
const VALID_AT = 'v.valid_from <= @asOf AND (v.valid_to IS NULL OR v.valid_to > @asOf)';

const pageSql = (scope: string) => `
  SELECT v.backup_id, v.position, v.status, v.size, v.object_count, v.availability_zone, v.container, v.created_at,
    v.updated_at, v.name, v.description, v.fail_reason, v.volume_id, v.snapshot_id, v.data_timestamp, v.parent_id,
    v.metadata, v.project_id, v.user_id, v.encryption_key_id, v.verification, v.last_verified_at, EXISTS (
      SELECT 1 FROM backup_versions c
      WHERE c.parent_id = v.backup_id AND c.completed = 1
        AND c.valid_from <= @asOf AND (c.valid_to IS NULL OR c.valid_to > @asOf)
    ) AS has_dependent_backups
  FROM backup_versions v
  WHERE (v.created_at, v.backup_id) > (@afterCreatedAt, @afterId) AND ${VALID_AT} AND ${scope}
  ORDER BY v.created_at, v.backup_id
  LIMIT ${PAGE}`;

const toPastBackupRow = (r: Record<string, unknown>): PastBackupRow => ({
  id: r.backup_id as string,
  status: r.status as string,
  size: int(r.size),
  objectCount: int(r.object_count),
  availabilityZone: r.availability_zone as string | null,
  container: r.container as string | null,
  createdAt: r.created_at as string,
  updatedAt: r.updated_at as string,
  name: r.name as string | null,
  description: r.description as string | null,
  failReason: r.fail_reason as string | null,
  volumeId: r.volume_id as string,
  snapshotId: r.snapshot_id as string | null,
  dataTimestamp: r.data_timestamp as string,
  parentId: r.parent_id as string | null,
  metadata: jsonObject(r.metadata),
  projectId: r.project_id as string,
  userId: r.user_id as string,
  encryptionKeyId: r.encryption_key_id as string | null,
  lastVerification: r.verification ? (JSON.parse(r.verification as string) as Record<string, unknown>) : null,
  lastVerifiedAt: (r.last_verified_at as string | null) ?? null,
  hasDependentBackups: int(r.has_dependent_backups) === 1,
  lastEventPosition: BigInt(r.position as bigint),
});

/**
 * `GET /strata/v1/backups?as_of=…`: the backups the scope may see as they stood at `asOf`, by the time
 * each event carries (an import keeps it), oldest first (created_at, id). Read from `backup_versions`, in
 * the table's own order, a page at a time through `db()` (the connection a rebuild may replace), with a
 * turn of the event loop between pages: no statement stays open while the caller streams, memory is one
 * page, and a long answer does not hold the other requests. A scope of one project reads the same rows and
 * keeps its own: no index per project, the table is in the listing's order already.
 */
export async function* backupsAsOf(db: () => CatalogDatabase, asOf: Date, scope: Scope): AsyncGenerator<PastBackupRow> {
  const scoped = scopeClause('v.project_id', scope);
  const sql = pageSql(scoped.sql);
  let after = { afterCreatedAt: '', afterId: '' };
  for (;;) {
    const rows = prepared(db(), sql).all({ ...scoped.params, ...after, asOf: asOf.getTime() }) as Record<string, unknown>[];
    for (const row of rows) yield toPastBackupRow(row);
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = { afterCreatedAt: last.created_at as string, afterId: last.backup_id as string };
    await yieldToEventLoop();
  }
}
