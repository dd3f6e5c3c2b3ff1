import type { EntityKind } from '../projections/audit.projection';
import type { CatalogDatabase } from '../schema/catalog-database';
import { allRows, BOUND_LIMIT } from './prepared';

/**
 * One audited event as the catalog keeps it: what happened, to what, when, and where it is in the log.
 * Who asked, from which request, when it was recorded and its data are the log's (`eventId`, `streamId`
 * and `revision` find it there).
 */
export interface AuditRow {
  readonly position: bigint;
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly type: string;
  readonly entityKind: EntityKind;
  readonly entityId: string;
  /** The time the event carries. */
  readonly occurredAt: string;
}

export interface EventsOfEntityOptions {
  readonly limit?: number;
  /** Page on: only events after this position. */
  readonly afterPosition?: bigint;
}

/** An entity's history in log order (a backup's events for `/strata/v1`). */
export const eventsOfEntity = (
  db: CatalogDatabase,
  kind: EntityKind,
  id: string,
  { limit, afterPosition = 0n }: EventsOfEntityOptions = {},
): AuditRow[] => {
  const rows = allRows(
    db,
    `SELECT * FROM audit WHERE entity_kind = @kind AND entity_id = @id AND position > @after
     ORDER BY position ${BOUND_LIMIT}`,
    { kind, id, after: afterPosition, limit: limit ?? -1 },
  );
  return rows.map(toAuditRow);
};

/** An `audit` row as the queries return it. */
export const toAuditRow = (r: Record<string, unknown>): AuditRow => ({
  position: r.position as bigint,
  eventId: r.event_id as string,
  streamId: r.stream_id as string,
  revision: r.revision as bigint,
  type: r.type as string,
  entityKind: r.entity_kind as EntityKind,
  entityId: r.entity_id as string,
  occurredAt: r.occurred_at as string,
});
