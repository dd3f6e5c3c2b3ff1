import type { CatalogDatabase } from '../schema/catalog-database';
import { toAuditRow, type AuditRow } from './events-of-entity.query';
import { allRows, BOUND_LIMIT } from './prepared';

/** The global log for audits: every filter is optional and they all hold together. */
export interface EventsInLogFilter {
  /** Events that happened at or after this time (ISO 8601, as the events carry it). */
  readonly since?: string;
  /** …and at or before this time. */
  readonly until?: string;
  /** Any of these event types. */
  readonly types?: readonly string[];
  /** Events of the backups, volumes and snapshots this project owns. */
  readonly projectId?: string;
  /** Events of this volume, of its backups and of its snapshots. */
  readonly volumeId?: string;
  /** Page on: only events after this position. */
  readonly afterPosition?: bigint;
  readonly limit: number;
}

const OWNED_BY_PROJECT = `(
  (a.entity_kind = 'backup' AND EXISTS (SELECT 1 FROM backups b WHERE b.id = a.entity_id AND b.project_id = @projectId))
  OR (a.entity_kind = 'volume' AND EXISTS (SELECT 1 FROM volumes v WHERE v.id = a.entity_id AND v.project_id = @projectId))
  OR (a.entity_kind = 'snapshot' AND EXISTS (SELECT 1 FROM snapshots s WHERE s.id = a.entity_id AND s.project_id = @projectId)))`;

/** The volume, its backups and its snapshots: each audit row names the volume it concerns. */
const OF_VOLUME = `a.volume_id = @volumeId`;

/** One page of the log in position order, filtered; the types list is bound as JSON so the SQL stays one statement. */
export const eventsInLog = (db: CatalogDatabase, filter: EventsInLogFilter): AuditRow[] => {
  const clauses = ['a.position > @after'];
  if (filter.since !== undefined) clauses.push('a.occurred_at >= @since');
  if (filter.until !== undefined) clauses.push('a.occurred_at <= @until');
  if (filter.types && filter.types.length > 0) clauses.push('a.type IN (SELECT value FROM json_each(@types))');
  if (filter.projectId !== undefined) clauses.push(OWNED_BY_PROJECT);
  if (filter.volumeId !== undefined) clauses.push(OF_VOLUME);
  const rows = allRows(db, `SELECT a.* FROM audit a WHERE ${clauses.join(' AND ')} ORDER BY a.position ${BOUND_LIMIT}`, {
    after: filter.afterPosition ?? 0n,
    limit: filter.limit,
    since: filter.since ?? null,
    until: filter.until ?? null,
    types: JSON.stringify(filter.types ?? []),
    projectId: filter.projectId ?? null,
    volumeId: filter.volumeId ?? null,
  });
  return rows.map(toAuditRow);
};
