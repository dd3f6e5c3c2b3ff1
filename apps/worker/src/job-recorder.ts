import { decodeStrataEvent, metaOf, type EventMeta, type StoredEvent, type StrataEvent } from '@strata/domain';
import { decideAndAppend, loadState, type Decider, type DomainEvent, type EventStore } from '@strata/event-store';

/** What started a job: the event (or the sweep) its appends name as their cause, and whose request it was. */
export interface JobCause {
  readonly eventId: string;
  readonly meta: EventMeta;
}

export const causeOf = (stored: StoredEvent): JobCause => ({ eventId: stored.id, meta: metaOf(stored) });

/**
 * Appends what a job decides, with metadata that ties it to the event that started the job: same
 * user, project and correlation, caused by that event. A conflict is re-decided by decideAndAppend.
 */
export class JobRecorder {
  constructor(private readonly store: EventStore, private readonly cause: JobCause) {}

  get meta(): EventMeta {
    return { ...this.cause.meta, causationId: this.cause.eventId };
  }

  record<C, S, E extends DomainEvent>(streamId: string, decider: Decider<C, S, E>, command: C) {
    return decideAndAppend(this.store, streamId, decider, command, { ...this.meta });
  }
}

/** A stream's current state, as the jobs need it (`loadState` without the revision); `onEvent` sees each event typed. */
export const stateOf = async <S, E extends DomainEvent>(
  store: EventStore, streamId: string, decider: Pick<Decider<unknown, S, E>, 'evolve' | 'initialState'>,
  onEvent?: (event: StrataEvent) => void,
): Promise<S> =>
  (await loadState(store, streamId, decider, onEvent && ((recorded) => {
    const decoded = decodeStrataEvent(recorded);
    if (decoded) onEvent(decoded.event);
  }))).state;
