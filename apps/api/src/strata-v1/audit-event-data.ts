import type { AuditRow } from '@strata/catalog';
import { StreamNotFound, type EventStore, type RecordedEvent } from '@strata/event-store';

/**
 * The audit rows' events as the log holds them (their data, metadata and recording time: the audit read
 * model keeps neither, the log already does). One forward read per stream, from the lowest revision the
 * page shows to the highest; keyed by event id.
 */
export const loggedEventsOf = async (store: EventStore, rows: readonly AuditRow[]): Promise<Map<string, RecordedEvent>> => {
  const revisions = new Map<string, { from: bigint; to: bigint }>();
  for (const row of rows) {
    const range = revisions.get(row.streamId);
    if (!range) revisions.set(row.streamId, { from: row.revision, to: row.revision });
    else {
      if (row.revision < range.from) range.from = row.revision;
      if (row.revision > range.to) range.to = row.revision;
    }
  }
  const wanted = new Set(rows.map((row) => row.eventId));
  const events = new Map<string, RecordedEvent>();
  for (const [streamId, { from, to }] of revisions) {
    try {
      for await (const event of store.readStream(streamId, { fromRevision: from, maxCount: Number(to - from) + 1 }))
        if (wanted.has(event.id)) events.set(event.id, event);
    } catch (error) {
      // A soft-deleted stream reads as not found: its events stay in the audit, what only the log holds is not shown.
      if (!(error instanceof StreamNotFound)) throw error;
    }
  }
  return events;
};
