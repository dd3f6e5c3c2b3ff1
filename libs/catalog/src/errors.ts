import type { RecordedEvent } from '@strata/event-store';

/**
 * What a thrown value says. Not `instanceof Error`: better-sqlite3 builds its errors in the realm it was
 * first loaded in, which under jest is not every spec file's.
 */
export const messageOf = (cause: unknown): string => {
  const message = (cause as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(cause);
};

/** A projection threw on this event: the runner parks it (see `parkEvent`) and goes on. */
export class ProjectionFailed extends Error {
  override readonly name = 'ProjectionFailed';
  readonly position: bigint;
  readonly eventId: string;
  readonly streamId: string;
  readonly eventType: string;
  constructor(
    readonly projection: string,
    event: Pick<RecordedEvent, 'type' | 'position' | 'id' | 'streamId'>,
    override readonly cause: unknown,
  ) {
    super(`Projection ${projection} failed on ${event.type} at position ${event.position}: ${messageOf(cause)}`, { cause });
    this.position = event.position;
    this.eventId = event.id;
    this.streamId = event.streamId;
    this.eventType = event.type;
  }
}

/** `waitForPosition` gave up: the catalog had not reached the position in time. */
export class CatalogWaitTimeout extends Error {
  override readonly name = 'CatalogWaitTimeout';
  constructor(
    readonly position: bigint,
    readonly reached: bigint,
    readonly timeoutMs: number,
  ) {
    super(`The catalog did not reach position ${position} within ${timeoutMs} ms (it is at ${reached})`);
  }
}

/** The catalog was stopped while a file was being built from the log beside it: the build is given up. */
export class CatalogBuildStopped extends Error {
  override readonly name = 'CatalogBuildStopped';
  constructor() {
    super('The catalog stopped while it was being rebuilt from the log; it is rebuilt again when asked or at the next start.');
  }
}

/** A list's marker names no row the caller can see (Cinder answers 404). */
export class MarkerNotFound extends Error {
  override readonly name = 'MarkerNotFound';
  constructor(
    readonly entity: string,
    readonly marker: string,
  ) {
    super(`Marker ${marker} could not be found.`);
  }
}

/** A sort key the list does not offer; the api validates first, so this is a caller's bug. */
export class InvalidSortKey extends Error {
  override readonly name = 'InvalidSortKey';
  constructor(
    readonly entity: string,
    readonly key: string,
  ) {
    super(`Invalid sort key ${key} for ${entity} lists`);
  }
}

/** A filter the list does not offer; the api filters first, so this is a caller's bug. */
export class UnknownFilter extends Error {
  override readonly name = 'UnknownFilter';
  constructor(
    readonly entity: string,
    readonly key: string,
  ) {
    super(`Unknown filter ${key} for ${entity} lists`);
  }
}
