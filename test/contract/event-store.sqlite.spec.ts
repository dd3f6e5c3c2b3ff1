import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreContract, globalEventIdContract } from '@strata/event-store/contract/event-store.contract';
import { collect, someEvents, streamId, SubscriptionReader } from '@strata/event-store/contract/contract-support';
import { openSqliteEventStore, type EventStore } from '@strata/event-store';
import { runAppendWorkers, type WorkerAppend } from './support/append-workers';

const dir = mkdtempSync(join(tmpdir(), 'strata-es-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const freshFile = () => join(dir, `events-${++files}.db`);

eventStoreContract('sqlite', async () => openSqliteEventStore(freshFile()));
globalEventIdContract('sqlite', async () => openSqliteEventStore(freshFile()));

describe('SQLite event store file', () => {
  const opened: EventStore[] = [];
  const open = (path: string) => {
    const store = openSqliteEventStore(path);
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('keeps acknowledged appends when the file is closed and opened again', async () => {
    const path = freshFile();
    const stream = streamId();
    const events = someEvents(3);
    const first = open(path);
    const result = await first.appendToStream(stream, events);
    await first.close();

    const reopened = open(path);
    expect((await collect(reopened.readStream(stream))).map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(await reopened.headPosition()).toBe(result.position);
  });

  it('wakes a live subscription for appends made through another connection', async () => {
    const path = freshFile();
    const subscriber = open(path);
    const writer = open(path);
    const reader = new SubscriptionReader(subscriber.subscribeToAll());
    await reader.until((r) => r.items.some((item) => item.kind === 'caughtUp'), 'caughtUp');
    const { position } = await writer.appendToStream(streamId(), someEvents(2));
    try {
      await reader.until((r) => r.events.some((e) => e.position === position), 'the append from the other connection');
    } finally {
      await reader.subscription.unsubscribe();
    }
  });
});

describe('SQLite event store shared by two OS processes', () => {
  const rounds = 100;
  const won = (appends: readonly WorkerAppend[]) => appends.filter((a) => a.outcome === 'won');

  it('lets exactly one process win each race, accounts for every append, and keeps positions dense', async () => {
    const path = freshFile();
    const reports = await runAppendWorkers(path, ['alpha', 'beta'], rounds);
    const appends = reports.flatMap((report) => report.appends);

    expect(appends.filter((a) => a.outcome !== 'won' && a.outcome !== 'lost')).toEqual([]);
    for (let r = 0; r < rounds; r++) {
      for (const expected of ['no_stream', '0']) {
        const contenders = appends.filter((a) => a.stream === `race-${r}` && a.expected === expected);
        expect(contenders.map((a) => a.outcome).sort()).toEqual(['lost', 'won']);
      }
    }

    const store = openSqliteEventStore(path);
    try {
      const log = await collect(store.readAll());
      expect(log.map((e) => e.position)).toEqual(log.map((_, i) => BigInt(i + 1)));
      const acknowledged = new Map(won(appends).map((a) => [a.eventId, BigInt(a.position!)]));
      expect(log).toHaveLength(acknowledged.size);
      expect(log.every((e) => acknowledged.get(e.id) === e.position)).toBe(true);

      const counter = await collect(store.readStream('counter'));
      expect(counter.map((e) => e.revision)).toEqual(counter.map((_, i) => BigInt(i)));
      expect(counter).toHaveLength(2 * rounds);
      expect(await collect(store.readStream('shared'))).toHaveLength(2 * rounds);
    } finally {
      await store.close();
    }
  });
});
