import { timeOrderedUuid } from './time-ordered-id';
import type { Decider, DomainEvent } from './decider';
import { deterministicEventId } from './deterministic-event-id';
import { WrongExpectedVersion } from './errors';
import { loadState, type LoadedState } from './load-state';
import type { EventData, EventMetadata, EventStore, ExpectedRevision, RecordedEvent } from './event-store.port';

export interface DecideAndAppendOptions<State = unknown> {
  /** Conflicts retried (re-read, re-decide) before WrongExpectedVersion is let out. Default 3. */
  readonly maxRetries?: number;
  /**
   * What an earlier call folded of this stream (its `folded`): only the events appended since are read,
   * so a job recording step after step on one stream does not read the whole stream each time (a
   * restore's checkpoints on its backup's stream grew with every restore and every checkpoint). Ignored
   * with an idempotency key, whose earlier events are looked for from the stream's start, and on the
   * retries after a lost race. See `loadState` for what the caller vouches.
   */
  readonly known?: LoadedState<State>;
  /**
   * Makes the command idempotent: event ids are derived from the key, and if the stream already holds
   * them the command is not decided again; the original result is returned instead.
   */
  readonly idempotencyKey?: string;
  /** Event ids when there is no idempotency key; time-ordered UUIDs (v7) by default (inject one in tests). */
  readonly newEventId?: () => string;
}

export interface DecideAndAppendResult<State = unknown> {
  readonly streamId: string;
  /** The stream as folded for the decision, before what this call appended: the next call's `known`. */
  readonly folded: LoadedState<State>;
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
  { maxRetries = 3, idempotencyKey, newEventId = timeOrderedUuid, known }: DecideAndAppendOptions<State> = {},
): Promise<DecideAndAppendResult<State>> => {
  const idFor = (index: number) => (idempotencyKey === undefined ? newEventId() : deterministicEventId(idempotencyKey, index));
  for (let attempt = 0; ; attempt++) {
    const from = attempt === 0 && idempotencyKey === undefined ? known : undefined;
    const current = await foldStream(store, streamId, decider, idempotencyKey, from);
    const folded = { state: current.state, revision: current.revision, position: current.position };
    if (current.replayed.length > 0) {
      const { revision, position } = current.replayedTo;
      return { streamId, folded, nextExpectedRevision: revision, position, events: current.replayed };
    }
    const decided = decider.decide(command, current.state);
    const { revision, position } = current;
    if (decided.length === 0) return { streamId, folded, nextExpectedRevision: revision, position, events: [] };
    const events = decided.map((event, i): EventData => ({ id: idFor(i), type: event.type, data: event.data, metadata: { ...meta } }));
    const expectedRevision: ExpectedRevision = revision < 0n ? 'no_stream' : revision;
    try {
      const result = await store.appendToStream(streamId, events, { expectedRevision });
      return { streamId, folded, ...result, events };
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
  from: LoadedState<State> | undefined,
): Promise<FoldedStream<State>> => {
  if (idempotencyKey !== undefined && store.findEvent) {
    const loaded = await loadState(store, streamId, decider, undefined, from);
    return { ...loaded, ...(await recordedUnder(store.findEvent.bind(store), streamId, idempotencyKey, loaded.revision)) };
  }
  const replayed: EventData[] = [];
  let replayedTo = { revision: -1n, position: 0n };
  // Without a key nothing is looked for, and the fold may carry on from the one this process kept.
  const lookFor =
    idempotencyKey === undefined
      ? undefined
      : (event: RecordedEvent) => {
          if (event.id !== deterministicEventId(idempotencyKey, replayed.length)) return;
          replayed.push({ id: event.id, type: event.type, data: event.data, metadata: event.metadata });
          replayedTo = { revision: event.revision, position: event.position };
        };
  const loaded = await loadState(store, streamId, decider, lookFor, from);
  return { ...loaded, replayed, replayedTo };
};

/**
 * The events recorded under `idempotencyKey` in the stream as folded up to `revision`, looked up by their
 * ids (`EventStore.findEvent`): the key's first event, then each next one, as the scan of the whole stream
 * finds them. One appended after the fold is left to the append, which the stream's revision refuses.
 */
const recordedUnder = async (
  findEvent: NonNullable<EventStore['findEvent']>,
  streamId: string,
  idempotencyKey: string,
  revision: bigint,
): Promise<Pick<FoldedStream<unknown>, 'replayed' | 'replayedTo'>> => {
  const replayed: EventData[] = [];
  let replayedTo = { revision: -1n, position: 0n };
  // A stream that shows no event holds none of the key's (a new backup's stream, the usual case).
  while (revision >= 0n) {
    const event = await findEvent(streamId, deterministicEventId(idempotencyKey, replayed.length));
    if (!event || event.revision > revision) break;
    replayed.push({ id: event.id, type: event.type, data: event.data, metadata: event.metadata });
    replayedTo = { revision: event.revision, position: event.position };
  }
  return { replayed, replayedTo };
};
