import { decodeStrataEvent, type StrataEvent } from '@strata/domain';
import { loadState, StreamNotFound, type Decider, type DomainEvent, type EventStore } from '@strata/event-store';

/** A stream's current state, as workflows and jobs need it (`loadState` without the revision); `onEvent` sees each event typed. */
export const stateOf = async <S, E extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<unknown, S, E>, 'evolve' | 'initialState'>,
  onEvent?: (event: StrataEvent) => void,
): Promise<S> =>
  (
    await loadState(
      store,
      streamId,
      decider,
      onEvent &&
        ((recorded) => {
          const decoded = decodeStrataEvent(recorded);
          if (decoded) onEvent(decoded.event);
        }),
    )
  ).state;

/**
 * The newest event of the stream that `matches`, read from the end (none: undefined, a missing stream
 * too). For a fact a state leaves out that a recent event carries: the stream is read back only as far
 * as that event, in windows that grow eightfold (a store reads a window in one query), where `stateOf`
 * with `onEvent` would read it whole, and a volume's stream grows with every backup of it. `matches` sees
 * each event once, from the newest back, up to the one it matches: it may note what it passes on the way.
 */
export const newestEventWhere = async <E extends StrataEvent>(
  store: EventStore,
  streamId: string,
  matches: (event: StrataEvent) => event is E,
): Promise<E | undefined> => {
  let from: bigint | 'end' = 'end';
  try {
    for (let window = 8; ; window *= 8) {
      let read = 0;
      for await (const recorded of store.readStream(streamId, { direction: 'backwards', fromRevision: from, maxCount: window })) {
        read++;
        const decoded = decodeStrataEvent(recorded);
        if (decoded && matches(decoded.event)) return decoded.event;
        from = recorded.revision - 1n;
      }
      if (read < window || from === 'end' || from < 0n) return undefined;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
    return undefined;
  }
};
