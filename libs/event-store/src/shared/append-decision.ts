import type { AppendResult, ExpectedRevision } from '../event-store.port';
import { DuplicateEventId, StreamDeleted, WrongExpectedVersion } from '../errors';

/** What an adapter knows about a stream inside its write lock. `lastRevision` is -1n when it has none. */
export interface StreamState {
  readonly lastRevision: bigint;
  readonly softDeleted: boolean;
}

export interface RecordedSlot {
  readonly id: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: bigint;
}

/** Look-ups the decision needs; each adapter answers them from its own storage, under its write lock. */
export interface AppendLookups {
  /** The event at `revision` of the stream being appended to. */
  atRevision(revision: bigint): RecordedSlot | undefined;
  /** Wherever this event id sits in the log. */
  byId(eventId: string): RecordedSlot | undefined;
}

export type AppendDecision =
  { readonly kind: 'append'; readonly fromRevision: bigint } | { readonly kind: 'idempotent'; readonly result: AppendResult };

export const NO_REVISION = -1n;

/**
 * EventStoreDB's commit check, written once for every adapter (its `IndexWriter.CheckCommit`):
 * - `stream_exists` refuses a soft-deleted stream (StreamDeleted) and a missing one (WrongExpectedVersion);
 * - `any` / `stream_exists`: if the first id already sits in this stream, the batch is a replay and must
 *   match consecutive events exactly; otherwise it is new;
 * - an exact revision (`no_stream` is -1) behind the stream is a replay only if the ids sit in exactly the
 *   following slots; `no_stream` on a soft-deleted stream recreates it (revisions continue).
 * Ids recorded elsewhere are found by the adapter when it writes (its unique index) and become DuplicateEventId.
 */
export const decideAppend = (
  streamId: string,
  state: StreamState,
  expected: ExpectedRevision,
  eventIds: readonly string[],
  lookups: AppendLookups,
): AppendDecision => {
  if (typeof expected === 'bigint' && expected < 0n)
    throw new RangeError(`Expected revision ${expected} on stream ${streamId}: revisions start at 0; use 'no_stream'`);
  const current = state.lastRevision;
  const wrong = () => new WrongExpectedVersion(streamId, expected, current < 0n ? 'no_stream' : current);
  const proceed: AppendDecision = { kind: 'append', fromRevision: current + 1n };

  if (expected === 'stream_exists') {
    if (state.softDeleted) throw new StreamDeleted(streamId);
    if (current < 0n) throw wrong();
  }
  if (expected === 'any' || expected === 'stream_exists') {
    const first = eventIds.length > 0 ? lookups.byId(eventIds[0]!) : undefined;
    if (!first || first.streamId !== streamId) return proceed;
    return replayOf(
      streamId,
      eventIds,
      (i) => lookups.atRevision(first.revision + BigInt(i)),
      (id) => {
        throw new DuplicateEventId(streamId, id);
      },
    );
  }

  const expectedRevision = expected === 'no_stream' ? NO_REVISION : expected;
  if (expectedRevision > current) throw wrong();
  if (expectedRevision === current) return proceed;
  if (eventIds.length === 0) throw wrong();
  const firstSlot = lookups.atRevision(expectedRevision + 1n);
  if (firstSlot?.id !== eventIds[0]) {
    if (expected === 'no_stream' && state.softDeleted) return proceed;
    throw wrong();
  }
  return replayOf(
    streamId,
    eventIds,
    (i) => lookups.atRevision(expectedRevision + 1n + BigInt(i)),
    () => {
      throw wrong();
    },
  );
};

/** A replay returns what the original append returned: the last event's revision and position. */
const replayOf = (
  streamId: string,
  eventIds: readonly string[],
  slot: (index: number) => RecordedSlot | undefined,
  mismatch: (eventId: string) => never,
): AppendDecision => {
  let last: RecordedSlot | undefined;
  for (const [i, id] of eventIds.entries()) {
    const recorded = slot(i);
    if (recorded?.id !== id || recorded.streamId !== streamId) mismatch(id);
    last = recorded;
  }
  return { kind: 'idempotent', result: { nextExpectedRevision: last!.revision, position: last!.position } };
};

/** A batch that names one id twice can never be recorded as given. */
export const assertDistinctIds = (streamId: string, eventIds: readonly string[]): void => {
  const seen = new Set<string>();
  for (const id of eventIds) {
    if (seen.has(id)) throw new DuplicateEventId(streamId, id);
    seen.add(id);
  }
};
