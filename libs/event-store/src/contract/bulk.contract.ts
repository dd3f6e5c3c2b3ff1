import type { RecordedEvent } from '../event-store.port';
import { someEvents, streamId, SubscriptionReader, uniqueCategory, type StoreUnderTest } from './contract-support';

/** Checks a replay as it streams past, so the test never holds the whole log either. */
const denseFrom = (start: bigint) => {
  let expected = start;
  return (event: RecordedEvent) => {
    if (event.position !== expected) throw new Error(`expected position ${expected}, read ${event.position}`);
    expected += 1n;
  };
};

export const bulkContract = (store: StoreUnderTest, eventCount: number) =>
  describe(`a log of ${eventCount.toLocaleString('en')} events`, () => {
    const streams = 100;
    const batch = Math.ceil(eventCount / streams);

    it('appends them in batches and replays them in order through readAll and a subscription', async () => {
      const category = uniqueCategory('bulk');
      const before = await store().headPosition();
      for (let s = 0; s < streams; s++) {
        const result = await store().appendToStream(streamId(category), someEvents(batch), { expectedRevision: 'no_stream' });
        expect(result.position).toBe(before + BigInt((s + 1) * batch));
      }
      const total = BigInt(streams * batch);

      const checkRead = denseFrom(before + 1n);
      let read = 0n;
      for await (const event of store().readAll({ fromPosition: before + 1n })) {
        checkRead(event);
        read += 1n;
      }
      expect(read).toBe(total);

      const checkReplay = denseFrom(before + 1n);
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
