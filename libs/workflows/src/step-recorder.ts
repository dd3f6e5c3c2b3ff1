import type { Decider, DecideAndAppendResult, DomainEvent } from '@strata/event-store';

/**
 * Who records a workflow's steps: the worker's job (its JobRecorder) or the api, when a request on a
 * backup finds the workflow behind the catalog. Each step is a decision with an idempotency key.
 * `maxRetries`: for a stream many steps meet on (a project's quota), more lost races re-decided.
 */
export interface StepRecorder {
  record<C, S, E extends DomainEvent>(
    streamId: string,
    decider: Decider<C, S, E>,
    command: C,
    idempotencyKey?: string,
    options?: { readonly maxRetries?: number },
  ): Promise<DecideAndAppendResult>;
}
