import { decideAndAppend, loadState, type Decider, type DomainEvent, type EventStore, type RecordedEvent } from '@strata/event-store';
import type { EventMeta } from '@strata/domain';

/**
 * Appends what a job decides, with metadata that ties it to the event that started the job: same
 * user, project and correlation, caused by that event. A conflict is re-decided by decideAndAppend.
 */
export class JobRecorder {
  constructor(private readonly store: EventStore, private readonly trigger: Pick<RecordedEvent, 'id' | 'metadata'>) {}

  get meta(): EventMeta {
    const m = this.trigger.metadata as Partial<EventMeta>;
    return {
      correlationId: m.correlationId ?? this.trigger.id,
      causationId: this.trigger.id,
      userId: m.userId ?? 'strata-worker',
      projectId: m.projectId ?? 'strata',
      requestId: m.requestId ?? this.trigger.id,
    };
  }

  record<C, S, E extends DomainEvent>(streamId: string, decider: Decider<C, S, E>, command: C) {
    return decideAndAppend(this.store, streamId, decider, command, { ...this.meta });
  }
}

/** A stream's current state, as the jobs need it (`loadState` without the revision). */
export const stateOf = async <S, E extends DomainEvent>(
  store: EventStore, streamId: string, decider: Pick<Decider<unknown, S, E>, 'evolve' | 'initialState'>,
  onEvent?: (event: RecordedEvent) => void,
): Promise<S> => (await loadState(store, streamId, decider, onEvent)).state;
