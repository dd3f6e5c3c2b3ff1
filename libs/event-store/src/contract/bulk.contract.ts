import type { RecordedEvent } from '../event-store.port';
import { someEvents, streamId, SubscriptionReader, uniqueCategory, type StoreUnderTest } from './contract-support';

/** Checks a replay as it streams past (starting at `first`, increasing), so the test never holds the whole log either. */
const increasingFrom = (first: bigint) => {
  let previous: bigint | undefined;
  return (event: RecordedEvent) => {
    if (previous === undefined ? event.position !== first : event.position <= previous)
      throw new Error(`expected a position ${previous === undefined ? `of ${first}` : `after ${previous}`}, read ${event.position}`);
    previous = event.position;
  };
};

export const bulkContract = (store: StoreUnderTest, eventCount: number) =>
  describe(`a log of ${eventCount.toLocaleString('en')} events`, () => {
    const streams = 100;
    const batch = Math.ceil(eventCount / streams);

    it('appends them in batches and replays them in order through readAll and a subscription', async () => {
      const category = uniqueCategory('bulk');
      const before = await store().headPosition();
      let last = before;
      let firstStream = '';
      for (let s = 0; s < streams; s++) {
        const stream = streamId(category);
        firstStream ||= stream;
        const result = await store().appendToStream(stream, someEvents(batch), { expectedRevision: 'no_stream' });
        expect(result.position > last).toBe(true);
        last = result.position;
      }
      const total = BigInt(streams * batch);
      let first = 0n;
      for await (const event of store().readStream(firstStream, { maxCount: 1 })) first = event.position;

      const checkRead = increasingFrom(first);
      let read = 0n;
      for await (const event of store().readAll({ fromPosition: first })) {
        checkRead(event);
        read += 1n;
      }
      expect(read).toBe(total);

      const checkReplay = increasingFrom(first);
      let replayed = 0n;
      let isCaughtUp = false;
      const reader = new SubscriptionReader(
        store().subscribeToAll({ fromPosition: before, filter: { streamPrefixes: [`${category}-`] } }),
        (item) => {
          if (item.kind === 'caughtUp') isCaughtUp = true;
          if (item.kind !== 'event') return;
          checkReplay(item.event);
          replayed += 1n;
        },
        false,
      );
      try {
        await reader.until(() => isCaughtUp, 'caughtUp after the replay', 30_000);
      } finally {
        await reader.subscription.unsubscribe();
      }
      expect(replayed).toBe(total);
    });
  });
