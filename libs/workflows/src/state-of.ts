import { decodeStrataEvent, type StrataEvent } from '@strata/domain';
import { loadState, type Decider, type DomainEvent, type EventStore } from '@strata/event-store';

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
