import { metaOf, type EventMeta, type StoredEvent } from '@strata/domain';
import { decideAndAppend, type Decider, type DomainEvent, type EventStore, type LoadedState } from '@strata/event-store';

/** What started a job: the event (or the sweep) its appends name as their cause, and whose request it was. */
export interface JobCause {
  readonly eventId: string;
  readonly meta: EventMeta;
}

export const causeOf = (stored: StoredEvent): JobCause => ({ eventId: stored.id, meta: metaOf(stored) });

/**
 * Appends what a job decides, with metadata that ties it to the event that started the job: same
 * user, project and correlation, caused by that event. A conflict is re-decided by decideAndAppend.
 * A job records many steps on few streams (a restore's checkpoints on its backup's stream, a backup's
 * chunks), so each stream's fold is kept from one step to the next and only what was appended since
 * (its own events, anyone else's) is read: folding the whole stream at every step grew with the stream,
 * 27 ms at 10,000 events, and a restore to or a backup from Swift's 50 MiB objects takes a step per
 * object (2026-12-06). `known` asks that the stream was not soft-deleted and started again meanwhile: no
 * command, job or sweep in Strata calls `deleteStream` (only the adapters' specs do); one that ever did would
 * leave folds here that hide the restarted stream's events, and would have to end them.
 */
export class JobRecorder {
  private readonly folds = new Map<string, { readonly decider: unknown; readonly folded: LoadedState<unknown> }>();

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
  async record<C, S, E extends DomainEvent>(
    streamId: string,
    decider: Decider<C, S, E>,
    command: C,
    idempotencyKey?: string,
    options: { readonly maxRetries?: number } = {},
  ) {
    const kept = this.folds.get(streamId);
    const known = kept?.decider === decider ? (kept.folded as LoadedState<S>) : undefined;
    const result = await decideAndAppend(this.store, streamId, decider, command, { ...this.meta }, { idempotencyKey, known, ...options });
    this.folds.set(streamId, { decider, folded: result.folded });
    return result;
  }
}

export { stateOf } from '@strata/workflows';
