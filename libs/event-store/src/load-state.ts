import type { Decider, DomainEvent } from './decider';
import { StreamNotFound } from './errors';
import type { EventStore, RecordedEvent } from './event-store.port';
import { cachedState, forgetState, keepState } from './stream-state-cache';

export interface LoadedState<State> {
  readonly state: State;
  /** The stream's last revision, -1n when it does not exist (append with 'no_stream'). */
  readonly revision: bigint;
  /** Global position of the stream's last event, 0n when there is none. */
  readonly position: bigint;
}

/**
 * Reads a stream and folds it with a decider's `evolve`; a missing or soft-deleted stream folds to the
 * initial state. `onEvent` sees each recorded event, for the few facts a state deliberately leaves out.
 * `from`: this stream already folded up to a revision; only the events after it are read and folded on
 * (a stream that is gone since folds to the initial state). The caller vouches that the stream was not
 * soft-deleted and started again since: the events `from` holds would be hidden by then.
 *
 * Without either, the fold this process last made of the stream (`stream-state-cache.ts`) is carried on
 * from, once the event it ended at is read again and found unchanged: a stream that every request and
 * job of a project meets (its quota: two events per backup, for ever) is read from where it was, not
 * from its start. What any read folds is kept for the next.
 */
export const loadState = async <State, Event extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<unknown, State, Event>, 'evolve' | 'initialState'>,
  onEvent?: (event: RecordedEvent) => void,
  from?: LoadedState<State>,
): Promise<LoadedState<State>> => {
  if (!onEvent && !from) {
    const kept = cachedState<State>(store, streamId, decider.evolve);
    const carried = kept && (await fold(store, streamId, decider, undefined, kept));
    if (carried) return carried;
  }
  // Null only for a kept fold found stale (`lastEventId`), which a caller's `from` does not carry.
  return (await fold(store, streamId, decider, onEvent, from))!;
};

/**
 * Folds the stream on from `from` (from its start without one). A kept fold (`lastEventId`) is checked
 * first: the event at its revision is read again and must be the one it ended at, or the answer is null
 * (soft-deleted and started again since: fold it from its start). A stream gone folds to the initial
 * state. What is folded is kept for the next read of the stream.
 */
const fold = async <State, Event extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<unknown, State, Event>, 'evolve' | 'initialState'>,
  onEvent?: (event: RecordedEvent) => void,
  from?: LoadedState<State> & { readonly lastEventId?: string },
): Promise<LoadedState<State> | null> => {
  // Not `??`: a state may itself be null or undefined.
  let state = from ? from.state : decider.initialState();
  let revision = from ? from.revision : -1n;
  let position = from ? from.position : 0n;
  let lastEventId = from?.lastEventId;
  let unchecked = lastEventId !== undefined;
  try {
    for await (const event of store.readStream(
      streamId,
      revision >= 0n ? { fromRevision: unchecked ? revision : revision + 1n } : undefined,
    )) {
      if (unchecked) {
        if (event.revision !== revision || event.id !== lastEventId) break;
        unchecked = false;
        continue;
      }
      // The stream belongs to this decider, so its stored types are the decider's events.
      state = decider.evolve(state, { type: event.type, data: event.data } as Event);
      revision = event.revision;
      position = event.position;
      lastEventId = event.id;
      onEvent?.(event);
    }
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
    forgetState(store, streamId, decider.evolve);
    return { state: decider.initialState(), revision: -1n, position: 0n };
  }
  if (unchecked) {
    forgetState(store, streamId, decider.evolve);
    return null;
  }
  if (lastEventId !== undefined) keepState(store, streamId, decider.evolve, { state, revision, position, lastEventId });
  return { state, revision, position };
};
