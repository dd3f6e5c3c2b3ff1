import type { SubscriptionFilter } from '../event-store.port';

/** The in-memory twin of the SQL filter in `sqlite/sqlite-read.ts`: the same rule, written for a row. */
export const matchesFilter = (filter: SubscriptionFilter | undefined, streamId: string, type: string): boolean => {
  if (!filter) return true;
  const { streamPrefixes, eventTypes } = filter;
  if (streamPrefixes && !streamPrefixes.some((prefix) => streamId.startsWith(prefix))) return false;
  if (eventTypes && !eventTypes.includes(type)) return false;
  return true;
};
