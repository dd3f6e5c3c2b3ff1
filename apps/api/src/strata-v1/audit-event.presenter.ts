import type { AuditRow } from '@strata/catalog';

/**
 * One event as the audit routes show it: what, to what, when, and who asked from which request, with its
 * data from the log (`eventDataOf`; null for an event whose stream was deleted from the log).
 */
export const auditEventView = (row: AuditRow, data: ReadonlyMap<string, unknown>) => ({
  position: Number(row.position),
  event_id: row.eventId,
  stream_id: row.streamId,
  revision: Number(row.revision),
  type: row.type,
  entity_kind: row.entityKind,
  entity_id: row.entityId,
  occurred_at: row.occurredAt,
  recorded_at: row.recordedAt,
  user_id: row.userId,
  project_id: row.projectId,
  request_id: row.requestId,
  correlation_id: row.correlationId,
  causation_id: row.causationId,
  data: data.get(row.eventId) ?? null,
});
