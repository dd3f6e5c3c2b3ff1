import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WrongExpectedVersion } from '../errors';
import { openSqliteEventStore, type SqliteEventStore } from './sqlite-event-store';

const id = (n: number) => `e0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const event = (n: number) => ({ id: id(n), type: 'Happened', data: { n } });

let dir: string;
let store: SqliteEventStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-sqlite-store-'));
  store = openSqliteEventStore(join(dir, 'events.sqlite'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const all = async () => {
  const out: string[] = [];
  for await (const e of store.readAll()) out.push(`${e.streamId}@${e.revision}`);
  return out;
};

describe('SqliteEventStore.appendToStreams', () => {
  it('records every stream’s events in one go, in order, each stream from its expected revision', async () => {
    await store.appendToStream('a', [event(1)]);

    const results = await store.appendToStreams([
      { streamId: 'a', events: [event(2), event(3)], expectedRevision: 0n },
      { streamId: 'b', events: [event(4)], expectedRevision: 'no_stream' },
    ]);

    expect(results.map((r) => r.nextExpectedRevision)).toEqual([2n, 0n]);
    expect(await all()).toEqual(['a@0', 'a@1', 'a@2', 'b@0']);
  });

  it('records none of them when one expectation fails', async () => {
    await store.appendToStream('b', [event(1)]);

    await expect(
      store.appendToStreams([
        { streamId: 'a', events: [event(2)], expectedRevision: 'no_stream' },
        { streamId: 'b', events: [event(3)], expectedRevision: 'no_stream' },
      ]),
    ).rejects.toThrow(WrongExpectedVersion);
    expect(await all()).toEqual(['b@0']);
  });

  it('is idempotent for events it already recorded', async () => {
    const appends = [{ streamId: 'a', events: [event(1), event(2)], expectedRevision: 'no_stream' as const }];
    await store.appendToStreams(appends);

    await store.appendToStreams(appends);

    expect(await all()).toEqual(['a@0', 'a@1']);
  });

  it('commits appends that need not be durable without the fsync, and leaves the connection as durable as before', async () => {
    const set = levelsSet();

    await store.appendToStreams([{ streamId: 'a', events: [event(1)], expectedRevision: 'no_stream' }], { durable: false });
    await store.appendToStreams([{ streamId: 'a', events: [event(2)], expectedRevision: 0n }]);

    expect(set).toEqual(['synchronous = NORMAL', 'synchronous = 2']);
    expect(synchronous()).toBe(2);
    expect(await all()).toEqual(['a@0', 'a@1']);
  });
});

const connection = () => (store as unknown as { db: Database.Database }).db;

/** The connection's `synchronous` level: 2 is FULL, 1 NORMAL. */
const synchronous = () => Number(connection().pragma('synchronous', { simple: true }));

/** The `synchronous` levels the store sets from now on, in order. */
const levelsSet = (): string[] => {
  const set: string[] = [];
  const db = connection();
  const pragma = db.pragma.bind(db);
  db.pragma = ((source: string, options?: Database.PragmaOptions) => {
    if (source.startsWith('synchronous = ')) set.push(source);
    return pragma(source, options);
  }) as typeof db.pragma;
  return set;
};

describe('SqliteEventStore beacons', () => {
  it('writes a beacon without the fsync, and leaves every append after it as durable as before', async () => {
    const set = levelsSet();

    await store.writeBeacon('service:a', '2026-12-06T02:00:00Z');
    await store.appendToStream('s', [event(1)]);

    expect(set).toEqual(['synchronous = NORMAL', 'synchronous = 2']);
    expect(synchronous()).toBe(2);
    expect(await store.readBeacons()).toEqual(new Map([['service:a', '2026-12-06T02:00:00Z']]));
  });
});
