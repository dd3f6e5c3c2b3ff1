import type { CatalogImportEvent, JobLeaseEvent, StrataEvent } from '@strata/domain';
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

/** An event a projection can be handed: Strata's own, a worker's job lease, or a catalog import's marks. */
export type KnownEvent = StrataEvent | JobLeaseEvent | CatalogImportEvent;

/**
 * A read model's reaction to the log: upserts keyed by id, times from event data. The runner decodes each
 * recorded event once (`decodeStrataEvent`) and hands it over with the record it came from (position, ids,
 * metadata), only for the types the projection `handles`.
 */
export interface Projection<E extends KnownEvent = KnownEvent> {
  readonly name: string;
  readonly handles: readonly E['type'][];
  apply(tx: ProjectionTx, event: E, recorded: RecordedEvent): void;
}

export const json = (value: unknown): string => JSON.stringify(value ?? {});

/**
 * `make(fragment)` made once per fragment and kept: the text of a statement assembled from a fragment (a
 * table's SET list), so that every event hands the statement cache a string it has hashed before. Assembled
 * at every call, each text was a new string of 150–200 characters to build and then hash in that cache's
 * lookup, at most of a build's events.
 */
export const textPerFragment = (make: (fragment: string) => string): ((fragment: string) => string) => {
  const texts = new Map<string, string>();
  return (fragment) => {
    let text = texts.get(fragment);
    if (text === undefined) texts.set(fragment, (text = make(fragment)));
    return text;
  };
};
