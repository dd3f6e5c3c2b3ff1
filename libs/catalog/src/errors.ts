/** A projection threw: the runner stopped right before this event and will not skip it. */
export class ProjectionFailed extends Error {
  override readonly name = 'ProjectionFailed';
  constructor(
    readonly projection: string,
    readonly position: bigint,
    readonly eventType: string,
    override readonly cause: unknown,
  ) {
    super(
      `Projection ${projection} failed on ${eventType} at position ${position}: ` +
        `${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/** `waitForPosition` gave up: the catalog had not reached the position in time. */
export class CatalogWaitTimeout extends Error {
  override readonly name = 'CatalogWaitTimeout';
  constructor(readonly position: bigint, readonly reached: bigint, readonly timeoutMs: number) {
    super(`The catalog did not reach position ${position} within ${timeoutMs} ms (it is at ${reached})`);
  }
}

/** A list's marker names no row the caller can see (Cinder answers 404). */
export class MarkerNotFound extends Error {
  override readonly name = 'MarkerNotFound';
  constructor(readonly entity: string, readonly marker: string) {
    super(`Marker ${marker} could not be found.`);
  }
}

/** A sort key the list does not offer; the api validates first, so this is a caller's bug. */
export class InvalidSortKey extends Error {
  override readonly name = 'InvalidSortKey';
  constructor(readonly entity: string, readonly key: string) {
    super(`Invalid sort key ${key} for ${entity} lists`);
  }
}

/** A filter the list does not offer; the api filters first, so this is a caller's bug. */
export class UnknownFilter extends Error {
  override readonly name = 'UnknownFilter';
  constructor(readonly entity: string, readonly key: string) {
    super(`Unknown filter ${key} for ${entity} lists`);
  }
}
