import type { Decider, DecideAndAppendResult, DomainEvent } from '@strata/event-store';

/**
 * Who records a workflow's steps: the worker's job (its JobRecorder) or the api, when a request on a
 * backup finds the workflow behind the catalog. Each step is a decision with an idempotency key.
 */
export interface StepRecorder {
  record<C, S, E extends DomainEvent>(
    streamId: string,
    decider: Decider<C, S, E>,
    command: C,
    idempotencyKey?: string,
  ): Promise<DecideAndAppendResult>;
}
