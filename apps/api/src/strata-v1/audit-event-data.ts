import type { AuditRow } from '@strata/catalog';
import { StreamNotFound, type EventStore } from '@strata/event-store';

/**
 * The data of the audit rows' events, read from the log (the audit read model does not copy it: it
 * would make the catalog larger than the log). One forward read per stream, from the lowest revision
 * the page shows to the highest; keyed by event id.
 */
export const eventDataOf = async (store: EventStore, rows: readonly AuditRow[]): Promise<Map<string, unknown>> => {
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
  const data = new Map<string, unknown>();
  for (const [streamId, { from, to }] of revisions) {
    try {
      for await (const event of store.readStream(streamId, { fromRevision: from, maxCount: Number(to - from) + 1 }))
        if (wanted.has(event.id)) data.set(event.id, event.data);
    } catch (error) {
      // A soft-deleted stream reads as not found: its events stay in the audit, their data is not shown.
      if (!(error instanceof StreamNotFound)) throw error;
    }
  }
  return data;
};
