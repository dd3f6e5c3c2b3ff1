import type { EventStore, PersistentDelivery, PersistentSubscription, PersistentSubscriptions } from '../event-store.port';
import { idsOf, someEvents, streamId, uniqueCategory, withFreshStore } from './contract-support';

const DEADLINE_MS = 10_000;

/** Reads a consumer's deliveries into a list, acking each unless told otherwise, until stopped. */
class Consumer {
  readonly deliveries: PersistentDelivery[] = [];
  private readonly running: Promise<void>;

  constructor(readonly subscription: PersistentSubscription, private readonly handle: (d: PersistentDelivery) => Promise<void> = (d) => d.ack()) {
    this.running = (async () => {
      for await (const delivery of subscription) {
        this.deliveries.push(delivery);
        await this.handle(delivery);
      }
    })();
  }

  get ids(): string[] {
    return this.deliveries.map((d) => d.event.id);
  }

  async stop(): Promise<void> {
    await this.subscription.unsubscribe();
    await this.running;
  }
}

const until = async (done: () => boolean, what: string, deadlineMs = DEADLINE_MS) => {
  const deadline = Date.now() + deadlineMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/**
 * Consumer groups, for stores that offer them (`EventStore.persistentSubscriptions`). Every test makes
 * its own group on its own stream category, so the suite runs on a shared server.
 */
export const persistentSubscriptionsContract = (adapterName: string, open: () => Promise<EventStore>) =>
  describe(`PersistentSubscriptions contract on ${adapterName}`, () => withFreshStore(open, (store) => {
    const consumers: Consumer[] = [];
    const groups = (): PersistentSubscriptions => {
      const capability = store().persistentSubscriptions;
      if (!capability) throw new Error(`${adapterName} offers no persistent subscriptions`);
      return capability;
    };
    const givenGroup = async (options: { maxRetryCount?: number; messageTimeoutMs?: number } = {}) => {
      const category = uniqueCategory('jobs');
      const group = `group-${category}`;
      await groups().ensureGroup(group, { filter: { streamPrefixes: [`${category}-`] }, ...options });
      return { category, group };
    };
    const join = async (group: string, handle?: (d: PersistentDelivery) => Promise<void>, bufferSize = 2) => {
      const consumer = new Consumer(groups().subscribe(group, { bufferSize }), handle);
      consumers.push(consumer);
      await consumer.subscription.joined();
      return consumer;
    };
    afterEach(async () => {
      await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
    });

    it('hands each matching event to exactly one of the consumers, and every consumer takes a share', async () => {
      const { category, group } = await givenGroup();
      const [a, b] = [await join(group), await join(group)];
      const appended: string[] = [];
      for (let i = 0; i < 10; i++) {
        const events = someEvents(2);
        await store().appendToStream(streamId(category), events);
        await store().appendToStream(streamId('noise'), someEvents(1));
        appended.push(...idsOf(events));
      }
      await until(() => a.deliveries.length + b.deliveries.length >= appended.length, 'every event delivered');
      expect([...a.ids, ...b.ids].sort()).toEqual([...appended].sort());
      expect(a.ids.length).toBeGreaterThan(0);
      expect(b.ids.length).toBeGreaterThan(0);
    });

    it('delivers the events that were there before the group was joined', async () => {
      const category = uniqueCategory('earlier');
      const events = someEvents(3);
      await store().appendToStream(streamId(category), events);
      await groups().ensureGroup(`group-${category}`, { filter: { streamPrefixes: [`${category}-`] } });
      const consumer = await join(`group-${category}`);
      await until(() => consumer.deliveries.length === 3, 'the earlier events');
      expect(consumer.ids).toEqual(idsOf(events));
    });

    it('sends an event nacked with retry round again with a higher retry count, and drops one skipped', async () => {
      const { category, group } = await givenGroup();
      const [retried, skipped] = someEvents(2);
      const consumer = await join(group, async (d) => {
        if (d.event.id === retried!.id && d.retryCount === 0) return d.nack('retry', 'not yet');
        if (d.event.id === skipped!.id) return d.nack('skip', 'not wanted');
        return d.ack();
      });
      await store().appendToStream(streamId(category), [retried!, skipped!]);
      await until(() => consumer.deliveries.length >= 3, 'the retried delivery');
      expect(consumer.deliveries.map((d) => [d.event.id, d.retryCount])).toEqual([[retried!.id, 0], [skipped!.id, 0], [retried!.id, 1]]);
    });

    it("hands the unacknowledged events of a consumer that leaves to another", async () => {
      const { category, group } = await givenGroup();
      const holder = await join(group, async () => undefined, 5);
      const events = someEvents(3);
      await store().appendToStream(streamId(category), events);
      await until(() => holder.deliveries.length === 3, 'the events at the first consumer');
      await holder.stop();
      const taker = await join(group, undefined, 5);
      await until(() => taker.deliveries.length === 3, 'the events at the second consumer');
      expect(taker.ids).toEqual(idsOf(events));
      expect(taker.deliveries.every((d) => d.retryCount >= 1)).toBe(true);
    });

    it('carries on after the acknowledged events when the group is joined again', async () => {
      const { category, group } = await givenGroup();
      const stream = streamId(category);
      const first = await join(group);
      await store().appendToStream(stream, someEvents(4));
      await until(() => first.deliveries.length === 4, 'the first events');
      await first.stop();
      const later = someEvents(2);
      await store().appendToStream(stream, later);
      const second = await join(group);
      await until(() => second.deliveries.length === 2, 'the later events');
      expect(second.ids).toEqual(idsOf(later));
    });

    it('leaves an existing group as it is when ensured again', async () => {
      const { category, group } = await givenGroup();
      await groups().ensureGroup(group, { filter: { streamPrefixes: [`${category}-`] } });
      const consumer = await join(group);
      const events = someEvents(1);
      await store().appendToStream(streamId(category), events);
      await until(() => consumer.deliveries.length === 1, 'the event');
      expect(consumer.ids).toEqual(idsOf(events));
    });

    it('ends the iteration of a consumer whose group does not exist', async () => {
      const subscription = groups().subscribe(`group-${uniqueCategory('missing')}`);
      await expect(subscription.joined()).rejects.toMatchObject({ type: 'persistent-subscription-does-not-exist' });
      await expect((async () => {
        for await (const _ of subscription) return 'delivered';
        return 'ended';
      })()).rejects.toMatchObject({ type: 'persistent-subscription-does-not-exist' });
    });
  }));
