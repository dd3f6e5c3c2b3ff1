import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { EsdbEventStore } from './esdb/esdb-event-store';
import { MemoryEventStore } from './memory/memory-event-store';
import { openEventStore } from './open-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { EsdbDouble } from './testing/esdb-double/esdb-double';

describe('openEventStore', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'strata-open-es-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it('opens a SQLite file relative to the working directory, creating its directories', async () => {
    const store = openEventStore('sqlite:data/state/events.db', { cwd });
    try {
      expect(store).toBeInstanceOf(SqliteEventStore);
      expect(existsSync(join(cwd, 'data/state/events.db'))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('accepts an absolute SQLite path and a synchronous level', async () => {
    const path = join(cwd, 'abs', 'events.db');
    const store = openEventStore(`sqlite:${path}?synchronous=normal`);
    await store.close();
    expect(existsSync(path)).toBe(true);
  });

  it('opens a fresh in-memory store for memory:', async () => {
    const store = openEventStore('memory:');
    expect(store).toBeInstanceOf(MemoryEventStore);
    expect(await store.headPosition()).toBe(0n);
    await store.close();
  });

  it('opens the EventStoreDB adapter for esdb://, which reaches the server it names', async () => {
    const double = await EsdbDouble.start();
    const store = openEventStore(double.connectionString);
    try {
      expect(store).toBeInstanceOf(EsdbEventStore);
      const { position } = await store.appendToStream('backup-1', [{ id: randomUUID(), type: 'BackupRequested', data: {} }]);
      expect(await store.headPosition()).toBe(position);
    } finally {
      await store.close();
      await double.stop();
    }
  });

  it('refuses an esdb:// string the client cannot parse, with its reason', () => {
    expect(() => openEventStore('esdb://127.0.0.1:2113?tls=maybe')).toThrow(
      /^Cannot open event store esdb:\/\/127\.0\.0\.1:2113\?tls=maybe: /,
    );
  });

  it('refuses a connection string it does not know, naming the forms it accepts', () => {
    expect(() => openEventStore('postgres://db/strata')).toThrow(
      'Cannot open event store postgres://db/strata: expected sqlite:PATH, memory: or esdb://HOST:PORT',
    );
  });

  it('refuses an unknown synchronous level', () => {
    expect(() => openEventStore('sqlite:x.db?synchronous=off', { cwd })).toThrow('synchronous must be FULL or NORMAL, not OFF');
  });
});
