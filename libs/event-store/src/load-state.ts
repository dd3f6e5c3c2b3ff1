import type { Decider, DomainEvent } from './decider';
import { StreamNotFound } from './errors';
import type { EventStore, RecordedEvent } from './event-store.port';
import { cachedState, forgetState, keepState, type CachedState } from './stream-state-cache';

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
    const cached = cachedState<State>(store, streamId, decider.evolve);
    if (cached) {
      const carried = await carryOn(store, streamId, decider, cached);
      if (carried) return carried;
    }
  }
  return fold(store, streamId, decider, onEvent, from);
};

const fold = async <State, Event extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<unknown, State, Event>, 'evolve' | 'initialState'>,
  onEvent?: (event: RecordedEvent) => void,
  from?: LoadedState<State>,
): Promise<LoadedState<State>> => {
  // Not `??`: a state may itself be null or undefined.
  let state = from ? from.state : decider.initialState();
  let revision = from ? from.revision : -1n;
  let position = from ? from.position : 0n;
  let lastEventId: string | undefined;
  try {
    for await (const event of store.readStream(streamId, revision >= 0n ? { fromRevision: revision + 1n } : undefined)) {
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
  if (lastEventId !== undefined) keepState(store, streamId, decider.evolve, { state, revision, position, lastEventId });
  return { state, revision, position };
};

/**
 * The cached fold carried on with the events after it, or null when the event it ended at is not the one
 * the stream shows at that revision now (soft-deleted and started again: fold it from its start).
 */
const carryOn = async <State, Event extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<unknown, State, Event>, 'evolve' | 'initialState'>,
  cached: CachedState<State>,
): Promise<LoadedState<State> | null> => {
  let { state, revision, position, lastEventId } = cached;
  let checked = false;
  try {
    for await (const event of store.readStream(streamId, { fromRevision: cached.revision })) {
      if (!checked) {
        if (event.revision !== cached.revision || event.id !== cached.lastEventId) break;
        checked = true;
        continue;
      }
      state = decider.evolve(state, { type: event.type, data: event.data } as Event);
      revision = event.revision;
      position = event.position;
      lastEventId = event.id;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
    forgetState(store, streamId, decider.evolve);
    return { state: decider.initialState(), revision: -1n, position: 0n };
  }
  if (!checked) {
    forgetState(store, streamId, decider.evolve);
    return null;
  }
  keepState(store, streamId, decider.evolve, { state, revision, position, lastEventId });
  return { state, revision, position };
};
