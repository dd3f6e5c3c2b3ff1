import { eventStoreContract } from '@strata/event-store/contract/event-store.contract';
import {
  caughtUp,
  collect,
  idsOf,
  someEvents,
  streamId,
  SubscriptionReader,
  uniqueCategory,
} from '@strata/event-store/contract/contract-support';
import { openEsdbEventStore } from '@strata/event-store/esdb/esdb-event-store';
import { EsdbDouble } from '@strata/event-store/testing/esdb-double/esdb-double';
import type { EventStore } from '@strata/event-store';

/**
 * The esdb adapter against the in-process gRPC double, or against a real server when
 * ESDB_CONNECTION_STRING is set (e.g. esdb://127.0.0.1:2113?tls=false for `docker compose up eventstore`).
 */
const real = process.env.ESDB_CONNECTION_STRING;
let double: EsdbDouble | undefined;
beforeAll(async () => {
  if (!real) double = await EsdbDouble.start();
});
afterAll(async () => {
  await double?.stop();
});
const open = async (): Promise<EventStore> => openEsdbEventStore(real ?? double!.connectionString);

eventStoreContract('esdb', open, { bulkEvents: 5_000 });

describe('esdb adapter on the double', () => {
  const stores: EventStore[] = [];
  const store = () => {
    const opened = openEsdbEventStore(double!.connectionString);
    stores.push(opened);
    return opened;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  const onDouble = real ? it.skip : it;

  onDouble('resubscribes after the server drops its subscriptions, missing nothing and repeating nothing', async () => {
    const es = store();
    const category = uniqueCategory('dropped');
    const stream = streamId(category);
    const before = someEvents(3);
    await es.appendToStream(stream, before);
    const reader = new SubscriptionReader(es.subscribeToAll({ filter: { streamPrefixes: [`${category}-`] } }));
    await reader.until(caughtUp, 'caughtUp');
    double!.dropSubscriptions();
    const after = someEvents(2);
    await es.appendToStream(stream, after);
    await reader.until((r) => r.events.length === 5, 'the events appended after the drop');
    expect(idsOf(reader.events)).toEqual([...idsOf(before), ...idsOf(after)]);
    expect(reader.items.filter((item) => item.kind === 'caughtUp')).toHaveLength(1);
    await reader.subscription.unsubscribe();
  });

  onDouble("keeps the server's own streams out of the application's log", async () => {
    const es = store();
    const stream = streamId();
    await es.appendToStream(stream, someEvents(2));
    await es.deleteStream(stream); // the server records a soft delete as a `$metadata` event in `$$<stream>`
    const log = await collect(es.readAll());
    expect(log.some((e) => e.streamId.startsWith('$'))).toBe(false);
    expect(await es.headPosition()).toBe(log[log.length - 1]!.position);
  });

  onDouble('lets two clients share one store: what one appends, the other reads and is told of', async () => {
    const [writer, reader] = [store(), store()];
    const subscription = new SubscriptionReader(reader.subscribeToAll({ fromPosition: await reader.headPosition() }));
    await subscription.until(caughtUp, 'caughtUp');
    const stream = streamId();
    const events = someEvents(2);
    await writer.appendToStream(stream, events);
    expect(idsOf(await collect(reader.readStream(stream)))).toEqual(idsOf(events));
    await subscription.until((r) => r.events.length === 2, 'the other client’s events');
    await subscription.subscription.unsubscribe();
  });
});
