import type { Decider, DomainEvent } from './decider';
import { StreamNotFound } from './errors';
import type { EventStore, RecordedEvent } from './event-store.port';

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
 */
export const loadState = async <State, Event extends DomainEvent>(
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
  try {
    for await (const event of store.readStream(streamId, revision >= 0n ? { fromRevision: revision + 1n } : undefined)) {
      // The stream belongs to this decider, so its stored types are the decider's events.
      state = decider.evolve(state, { type: event.type, data: event.data } as Event);
      revision = event.revision;
      position = event.position;
      onEvent?.(event);
    }
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
    return { state: decider.initialState(), revision: -1n, position: 0n };
  }
  return { state, revision, position };
};
