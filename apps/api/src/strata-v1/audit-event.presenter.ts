import { firstRecordedAt, type AuditRow } from '@strata/catalog';
import type { RecordedEvent } from '@strata/event-store';

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * One event as the audit routes show it: what, to what and when from the catalog; who asked from which
 * request, when it was recorded (the first time, for an imported event) and its data from the log
 * (`loggedEventsOf`; null for an event whose stream was deleted from the log).
 */
export const auditEventView = (row: AuditRow, logged: ReadonlyMap<string, RecordedEvent>) => {
  const event = logged.get(row.eventId);
  const m = event?.metadata ?? {};
  return {
    position: Number(row.position),
    event_id: row.eventId,
    stream_id: row.streamId,
    revision: Number(row.revision),
    type: row.type,
    entity_kind: row.entityKind,
    entity_id: row.entityId,
    occurred_at: row.occurredAt,
    recorded_at: event ? firstRecordedAt(event) : null,
    user_id: text(m.userId),
    project_id: text(m.projectId),
    request_id: text(m.requestId),
    correlation_id: text(m.correlationId),
    causation_id: text(m.causationId),
    data: event?.data ?? null,
  };
};
