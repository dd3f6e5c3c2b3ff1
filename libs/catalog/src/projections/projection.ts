import type { JobLeaseEventType, StrataEvent, StrataEventType } from '@strata/domain';
import type { RecordedEvent } from '@strata/event-store';

export type SqlValue = string | number | bigint | null;
export type SqlParams = Readonly<Record<string, SqlValue>>;

/**
 * The only way a projection writes: statements inside the runner's transaction. A projection never
 * sees the database handle, so it cannot commit, read the clock or reach the store.
 */
export interface ProjectionTx {
  /** Runs a statement with named parameters (`@name`); returns the number of rows it changed. */
  run(sql: string, params?: SqlParams): number;
  get<Row>(sql: string, params?: SqlParams): Row | undefined;
}

/** A read model's reaction to the log: upserts keyed by id, times from event data. */
export interface Projection {
  readonly name: string;
  readonly handles: readonly (StrataEventType | JobLeaseEventType)[];
  apply(tx: ProjectionTx, event: RecordedEvent): void;
}

/**
 * The runner only hands a projection the types it `handles`, all of which are Strata's own events, so
 * the stored `{ type, data }` is the domain event of that type.
 */
export const strataEventOf = <E extends StrataEvent = StrataEvent>(event: RecordedEvent): E => ({ type: event.type, data: event.data }) as E;

export const json = (value: unknown): string => JSON.stringify(value ?? {});
