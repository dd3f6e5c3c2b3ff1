import { metaOf, type EventMeta, type StoredEvent } from '@strata/domain';
import { decideAndAppend, type Decider, type DomainEvent, type EventStore } from '@strata/event-store';

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
  constructor(
    private readonly store: EventStore,
    private readonly cause: JobCause,
  ) {}

  get meta(): EventMeta {
    return { ...this.cause.meta, causationId: this.cause.eventId };
  }

  /**
   * `idempotencyKey`: a workflow's step, named by the workflow's id and the step. Run again (the trigger
   * redelivered, a sweep, a second worker), it finds what it recorded the first time and decides nothing.
   */
  record<C, S, E extends DomainEvent>(
    streamId: string,
    decider: Decider<C, S, E>,
    command: C,
    idempotencyKey?: string,
    options: { readonly maxRetries?: number } = {},
  ) {
    return decideAndAppend(this.store, streamId, decider, command, { ...this.meta }, { idempotencyKey, ...options });
  }
}

export { stateOf } from '@strata/workflows';
