import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, type SqliteEventStore } from './sqlite-event-store';

let dir: string;
let store: SqliteEventStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-beacons-'));
  store = openSqliteEventStore(join(dir, 'events.sqlite'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The connection's `synchronous` level: 2 is FULL, 1 NORMAL. */
const synchronous = () => Number((store as unknown as { db: Database.Database }).db.pragma('synchronous', { simple: true }));

describe('SqliteEventStore beacons', () => {
  it('writes a beacon without the fsync, and leaves every append after it as durable as before', async () => {
    expect(synchronous()).toBe(2);

    await store.writeBeacon('service:a', '2026-12-06T02:00:00Z');
    await store.appendToStream('s', [{ id: 'e0000000-0000-4000-8000-000000000001', type: 'Happened', data: {} }]);

    expect(synchronous()).toBe(2);
    expect(await store.readBeacons()).toEqual(new Map([['service:a', '2026-12-06T02:00:00Z']]));
  });
});
