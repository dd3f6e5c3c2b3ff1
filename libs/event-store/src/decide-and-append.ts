import { timeOrderedUuid } from './time-ordered-id';
import type { Decider, DomainEvent } from './decider';
import { deterministicEventId } from './deterministic-event-id';
import { WrongExpectedVersion } from './errors';
import { loadState } from './load-state';
import type { EventData, EventMetadata, EventStore, ExpectedRevision } from './event-store.port';

export interface DecideAndAppendOptions {
  /** Conflicts retried (re-read, re-decide) before WrongExpectedVersion is let out. Default 3. */
  readonly maxRetries?: number;
  /**
   * Makes the command idempotent: event ids are derived from the key, and if the stream already holds
   * them the command is not decided again; the original result is returned instead.
   */
  readonly idempotencyKey?: string;
  /** Event ids when there is no idempotency key; time-ordered UUIDs (v7) by default (inject one in tests). */
  readonly newEventId?: () => string;
}

export interface DecideAndAppendResult {
  readonly streamId: string;
  /** The stream's revision after the command: pass it on as the next expectation (-1n: still no stream). */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last event of the stream after the command (0n when there is none). */
  readonly position: bigint;
  /** What this call appended, or, for a repeated idempotent command, what the first call appended. */
  readonly events: readonly EventData[];
}

/**
 * The write path: read the stream, fold it, decide, append at the revision that was read. A lost race
 * is re-read and re-decided (never re-sent as it was) up to `maxRetries` times, then reaches the caller.
 */
export const decideAndAppend = async <Command, State, Event extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Decider<Command, State, Event>,
  command: Command,
  meta: EventMetadata,
  { maxRetries = 3, idempotencyKey, newEventId = timeOrderedUuid }: DecideAndAppendOptions = {},
): Promise<DecideAndAppendResult> => {
  const idFor = (index: number) => (idempotencyKey === undefined ? newEventId() : deterministicEventId(idempotencyKey, index));
  for (let attempt = 0; ; attempt++) {
    const current = await foldStream(store, streamId, decider, idempotencyKey);
    if (current.replayed.length > 0) {
      const { revision, position } = current.replayedTo;
      return { streamId, nextExpectedRevision: revision, position, events: current.replayed };
    }
    const decided = decider.decide(command, current.state);
    const { revision, position } = current;
    if (decided.length === 0) return { streamId, nextExpectedRevision: revision, position, events: [] };
    const events = decided.map((event, i): EventData => ({ id: idFor(i), type: event.type, data: event.data, metadata: { ...meta } }));
    const expectedRevision: ExpectedRevision = revision < 0n ? 'no_stream' : revision;
    try {
      const result = await store.appendToStream(streamId, events, { expectedRevision });
      return { streamId, ...result, events };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersion) || attempt >= maxRetries) throw error;
    }
  }
};

interface FoldedStream<State> {
  readonly state: State;
  readonly revision: bigint;
  readonly position: bigint;
  /** Events already recorded under the idempotency key, with where the last of them landed. */
  readonly replayed: readonly EventData[];
  readonly replayedTo: { readonly revision: bigint; readonly position: bigint };
}

/** A missing (or soft-deleted) stream folds to the initial state at revision -1 ('no_stream'). */
const foldStream = async <Command, State, Event extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Decider<Command, State, Event>,
  idempotencyKey: string | undefined,
): Promise<FoldedStream<State>> => {
  const replayed: EventData[] = [];
  let replayedTo = { revision: -1n, position: 0n };
  const loaded = await loadState(store, streamId, decider, (event) => {
    if (idempotencyKey !== undefined && event.id === deterministicEventId(idempotencyKey, replayed.length)) {
      replayed.push({ id: event.id, type: event.type, data: event.data, metadata: event.metadata });
      replayedTo = { revision: event.revision, position: event.position };
    }
  });
  return { ...loaded, replayed, replayedTo };
};
