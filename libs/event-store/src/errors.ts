import type { ExpectedRevision } from './event-store.port';

export class WrongExpectedVersion extends Error {
  override readonly name = 'WrongExpectedVersion';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The stream's current revision, or 'no_stream'. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Wrong expected version on stream ${stream}: expected ${String(expected)}, actual ${String(actual)}`);
  }
}

export class StreamNotFound extends Error {
  override readonly name = 'StreamNotFound';
  constructor(readonly stream: string) {
    super(`Stream ${stream} not found`);
  }
}

/** An append reused event ids that already sit elsewhere in the log. */
export class DuplicateEventId extends Error {
  override readonly name = 'DuplicateEventId';
  constructor(
    readonly stream: string,
    readonly eventId: string,
  ) {
    super(`Event id ${eventId} already recorded elsewhere than at this place in stream ${stream}`);
  }
}

/** `stream_exists` was asked of a stream that has been soft-deleted (EventStoreDB answers StreamDeleted too). */
export class StreamDeleted extends Error {
  override readonly name = 'StreamDeleted';
  constructor(readonly stream: string) {
    super(`Stream ${stream} has been deleted`);
  }
}

/** An operation reached a store after `close()`. */
export class EventStoreClosed extends Error {
  override readonly name = 'EventStoreClosed';
  constructor() {
    super('The event store is closed');
  }
}

/** The `event_store` connection string names no adapter this build can open. */
export class UnsupportedEventStoreUrl extends Error {
  override readonly name = 'UnsupportedEventStoreUrl';
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`Cannot open event store ${url}: ${reason}`);
  }
}
