import type Database from 'better-sqlite3';
import type { ReadAllOptions, ReadStreamOptions, RecordedEvent, SubscriptionFilter } from '../event-store.port';
import { StreamNotFound } from '../errors';
import type { LogPage } from '../shared/polling-subscription';
import { allReadRange, streamReadRange, type ReadRange } from '../shared/read-range';
import { toRecordedEvent, type StoredEvent } from '../shared/stored-event';

const COLUMNS = `global_position AS position, event_id AS id, stream_id AS streamId, stream_version AS revision,
  type, data, metadata, created_at AS createdAt`;

interface StreamRow {
  readonly version: bigint;
  readonly deleted: bigint;
  readonly truncateBefore: bigint;
}

type PageQuery = Database.Statement<[bigint, bigint, number], StoredEvent>;

/**
 * The read side: every read walks its range one page (a bounded query) at a time, so neither a long
 * stream nor the whole log is ever held in memory. Each page is its own short read; WAL readers never
 * block the writer.
 */
export class SqliteReader {
  private readonly selectStream: Database.Statement<[string], StreamRow>;
  private readonly selectHead: Database.Statement<[], { head: bigint }>;
  private readonly streamForwards: Database.Statement<[string, bigint, bigint, number], StoredEvent>;
  private readonly streamBackwards: Database.Statement<[string, bigint, bigint, number], StoredEvent>;
  private readonly allForwards: PageQuery;
  private readonly allBackwards: PageQuery;

  constructor(
    private readonly db: Database.Database,
    private readonly pageSize: number,
  ) {
    this.selectStream = db.prepare(
      'SELECT version, deleted, truncate_before AS truncateBefore FROM streams WHERE stream_id = ?',
    );
    this.selectHead = db.prepare('SELECT COALESCE(MAX(global_position), 0) AS head FROM events');
    this.streamForwards = db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND stream_version >= ? AND stream_version <= ?
       ORDER BY stream_version LIMIT ?`,
    );
    this.streamBackwards = db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND stream_version <= ? AND stream_version >= ?
       ORDER BY stream_version DESC LIMIT ?`,
    );
    this.allForwards = db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE global_position >= ? AND global_position <= ? ORDER BY global_position LIMIT ?`,
    );
    this.allBackwards = db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE global_position <= ? AND global_position >= ?
       ORDER BY global_position DESC LIMIT ?`,
    );
  }

  head(): bigint {
    return this.selectHead.get()!.head;
  }

  async *readStream(streamId: string, options: ReadStreamOptions | undefined, assertOpen: () => void): AsyncGenerator<RecordedEvent> {
    assertOpen();
    const stream = this.selectStream.get(streamId);
    if (!stream || stream.deleted === 1n) throw new StreamNotFound(streamId);
    const range = streamReadRange(options, stream.version, stream.truncateBefore);
    const query = range.forwards ? this.streamForwards : this.streamBackwards;
    yield* this.paged(range, (first, limit) => query.all(streamId, first, range.bound, limit), (e) => e.revision, assertOpen);
  }

  async *readAll(options: ReadAllOptions | undefined, assertOpen: () => void): AsyncGenerator<RecordedEvent> {
    assertOpen();
    const range = allReadRange(options, this.head());
    const query = range.forwards ? this.allForwards : this.allBackwards;
    yield* this.paged(range, (first, limit) => query.all(first, range.bound, limit), (e) => e.position, assertOpen);
  }

  /**
   * A subscription's page source: the window `(after, after + pageSize]` of positions, capped at the head,
   * filtered in SQL. The head is read first: positions commit in order, so everything up to it is visible.
   */
  logPages(filter: SubscriptionFilter | undefined): (after: bigint) => LogPage {
    const { clause, params } = filterClause(filter);
    const query = this.db.prepare<unknown[], StoredEvent>(
      `SELECT ${COLUMNS} FROM events WHERE global_position > ? AND global_position <= ?${clause} ORDER BY global_position`,
    );
    return (after) => {
      const head = this.head();
      const end = after + BigInt(this.pageSize) < head ? after + BigInt(this.pageSize) : head;
      const scannedTo = end > after ? end : after;
      const events = scannedTo > after ? query.all(after, scannedTo, ...params).map(toRecordedEvent) : [];
      return { events, scannedTo, head };
    };
  }

  private async *paged(
    range: ReadRange,
    page: (first: bigint, limit: number) => StoredEvent[],
    keyOf: (event: StoredEvent) => bigint,
    assertOpen: () => void,
  ): AsyncGenerator<RecordedEvent> {
    let remaining = range.maxCount;
    let first = range.first;
    while (remaining > 0) {
      assertOpen();
      const rows = page(first, Math.min(this.pageSize, remaining));
      if (rows.length === 0) return;
      for (const row of rows) yield toRecordedEvent(row);
      remaining -= rows.length;
      first = keyOf(rows[rows.length - 1]!) + (range.forwards ? 1n : -1n);
    }
  }
}

/** Prefixes match case-sensitively (`instr(...) = 1`, unlike LIKE), exactly as `startsWith` does in memory. */
const filterClause = (filter: SubscriptionFilter | undefined): { clause: string; params: string[] } => {
  let clause = '';
  const params: string[] = [];
  const prefixes = filter?.streamPrefixes;
  if (prefixes) {
    clause += prefixes.length === 0 ? ' AND 0' : ` AND (${prefixes.map(() => 'instr(stream_id, ?) = 1').join(' OR ')})`;
    params.push(...prefixes);
  }
  const types = filter?.eventTypes;
  if (types) {
    clause += types.length === 0 ? ' AND 0' : ` AND type IN (${types.map(() => '?').join(', ')})`;
    params.push(...types);
  }
  return { clause, params };
};
