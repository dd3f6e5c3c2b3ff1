import { randomUUID } from 'node:crypto';
import { decideAppend, NO_REVISION, type AppendLookups } from '../../shared/append-decision';
import type { ExpectedRevision } from '../../event-store.port';

/** One record of the double's transaction log, as EventStoreDB keeps an event. */
export interface DoubleRecord {
  readonly streamName: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as the server sends `created`. */
  readonly createdTicks: bigint;
  /** Commit and prepare position: the record's byte offset in the log (the same for both since 20.x). */
  readonly position: bigint;
}

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

interface DoubleStream {
  lastRevision: bigint;
  /** `$tb` from the stream's metadata: revisions below it are hidden (a soft delete sets it past the end). */
  truncateBefore: bigint;
  readonly records: DoubleRecord[];
}

export type AppendOutcome =
  | { readonly kind: 'success'; readonly currentRevision: bigint; readonly position: bigint }
  | { readonly kind: 'wrong-expected-version'; readonly current: bigint | 'no_stream' }
  | { readonly kind: 'stream-deleted' };

export type DeleteOutcome = AppendOutcome | { readonly kind: 'stream-not-found' };

const RECORD_HEADER_BYTES = 96n;
const TICKS_PER_MS = 10_000n;
const encoder = new TextEncoder();

/**
 * The double's storage: one ordered log of records (the `$all` stream) plus a per-stream index, with
 * EventStoreDB's rules. Positions are byte offsets, so they grow by each record's size and are not dense;
 * a fresh log opens with a system event, as a real server's does. A soft delete is what the server does:
 * a `$metadata` event with `$tb` in the `$$stream` metadata stream. The expected-revision and idempotency
 * check is the one the embedded adapters use (`decideAppend`, the server's `CheckCommit`), except that an
 * id is an idempotency key only within its stream, as on the server.
 */
export class DoubleLog {
  readonly records: DoubleRecord[] = [];
  private readonly streams = new Map<string, DoubleStream>();
  private readonly listeners = new Set<() => void>();
  private nextPosition = 0n;

  constructor(private readonly now: () => Date = () => new Date()) {
    this.write('$settings', [systemEvent('$settings', { $userStreamAcl: { $r: '$all' } })]);
  }

  /** Called after every write; subscriptions use it to push live events. */
  onWrite(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(streamName: string, expected: ExpectedRevision, events: readonly ProposedEvent[]): AppendOutcome {
    const stream = this.streams.get(streamName);
    const state = { lastRevision: stream?.lastRevision ?? NO_REVISION, softDeleted: isSoftDeleted(stream) };
    let decision;
    try {
      decision = decideAppend(
        streamName,
        state,
        expected,
        events.map((e) => e.id),
        this.lookups(stream),
      );
    } catch (error) {
      if ((error as Error).name === 'StreamDeleted') return { kind: 'stream-deleted' };
      // A batch whose first id sits in the stream but whose others do not: the server's "corrupted
      // idempotency", answered as a wrong expected version.
      return { kind: 'wrong-expected-version', current: state.lastRevision < 0n ? 'no_stream' : state.lastRevision };
    }
    if (decision.kind === 'idempotent')
      return { kind: 'success', currentRevision: decision.result.nextExpectedRevision, position: decision.result.position };
    if (events.length === 0) return { kind: 'success', currentRevision: state.lastRevision, position: this.lastPosition() };
    const position = this.write(streamName, events);
    return { kind: 'success', currentRevision: this.streams.get(streamName)!.lastRevision, position };
  }

  /** Soft delete: the `$tb` of the stream's metadata moves past its last event. */
  delete(streamName: string, expected: ExpectedRevision): DeleteOutcome {
    const stream = this.streams.get(streamName);
    if (!stream) return { kind: 'stream-not-found' };
    if (!(expected === 'any' && isSoftDeleted(stream))) {
      const outcome = this.checkExpected(stream, expected);
      if (outcome) return outcome;
    }
    const truncateBefore = stream.lastRevision + 1n;
    const position = this.write(`$$${streamName}`, [systemEvent('$metadata', { $tb: Number(truncateBefore) })]);
    stream.truncateBefore = truncateBefore;
    return { kind: 'success', currentRevision: stream.lastRevision, position };
  }

  /** The visible records of a stream (after `$tb`), or undefined when it does not exist or was deleted. */
  visibleRecords(streamName: string): { records: readonly DoubleRecord[]; first: bigint; last: bigint } | undefined {
    const stream = this.streams.get(streamName);
    if (!stream || isSoftDeleted(stream)) return undefined;
    return { records: stream.records, first: stream.truncateBefore, last: stream.lastRevision };
  }

  /** Index of the first record at or after `position` (`records.length` when none). */
  indexAtOrAfter(position: bigint): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.records[mid]!.position < position) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  lastPosition(): bigint {
    return this.records[this.records.length - 1]?.position ?? 0n;
  }

  private checkExpected(stream: DoubleStream, expected: ExpectedRevision): AppendOutcome | undefined {
    const current = stream.lastRevision;
    if (expected === 'any') return undefined;
    if (expected === 'stream_exists') return isSoftDeleted(stream) ? { kind: 'stream-deleted' } : undefined;
    const wanted = expected === 'no_stream' ? NO_REVISION : expected;
    return wanted === current ? undefined : { kind: 'wrong-expected-version', current };
  }

  private write(streamName: string, events: readonly ProposedEvent[]): bigint {
    let stream = this.streams.get(streamName);
    if (!stream) {
      stream = { lastRevision: NO_REVISION, truncateBefore: 0n, records: [] };
      this.streams.set(streamName, stream);
    }
    const createdTicks = BigInt(this.now().getTime()) * TICKS_PER_MS;
    let position = this.nextPosition;
    for (const event of events) {
      position = this.nextPosition;
      const record: DoubleRecord = { ...event, streamName, revision: stream.lastRevision + 1n, createdTicks, position };
      this.records.push(record);
      stream.records.push(record);
      stream.lastRevision = record.revision;
      this.nextPosition += recordSize(record);
    }
    for (const listener of this.listeners) listener();
    return position;
  }

  private lookups(stream: DoubleStream | undefined): AppendLookups {
    const slot = (record: DoubleRecord | undefined) =>
      record && { id: record.id, streamId: record.streamName, revision: record.revision, position: record.position };
    return {
      atRevision: (revision) => slot(stream?.records[Number(revision)]),
      // Ids are idempotency keys within a stream only: an id found elsewhere does not count.
      byId: (eventId) => slot(stream?.records.find((record) => record.id === eventId)),
    };
  }
}

const isSoftDeleted = (stream: DoubleStream | undefined): boolean => stream !== undefined && stream.truncateBefore > stream.lastRevision;

/** Roughly what the record takes in a chunk file: a header plus its variable parts, 8-byte aligned. */
const recordSize = (record: DoubleRecord): bigint => {
  const size =
    RECORD_HEADER_BYTES + BigInt(record.streamName.length + record.type.length + record.data.length + record.customMetadata.length);
  return (size + 7n) & ~7n;
};

const systemEvent = (type: string, data: unknown): ProposedEvent => ({
  id: randomUUID(),
  type,
  contentType: 'application/json',
  data: encoder.encode(JSON.stringify(data)),
  customMetadata: new Uint8Array(),
});
