import type { SubscribeToAllOptions, SubscriptionItem } from '../event-store.port';
import {
  appendInBatches,
  caughtUp,
  collect,
  idsOf,
  positionOf,
  someEvents,
  streamId,
  SubscriptionReader,
  uniqueCategory,
  type StoreUnderTest,
} from './contract-support';

const nonDecreasing = (items: readonly SubscriptionItem[]): boolean =>
  items.every((item, i) => i === 0 || positionOf(item) >= positionOf(items[i - 1]!));

export const subscribeContract = (store: StoreUnderTest) =>
  describe('subscribeToAll', () => {
    const readers: SubscriptionReader[] = [];
    const open = (options: SubscribeToAllOptions, onItem?: (item: SubscriptionItem) => void) => {
      const reader = new SubscriptionReader(store().subscribeToAll(options), onItem);
      readers.push(reader);
      return reader;
    };
    afterEach(async () => {
      await Promise.all(readers.splice(0).map((reader) => reader.subscription.unsubscribe()));
    });

    it('delivers the events already there, says caughtUp once, then delivers live events', async () => {
      const category = uniqueCategory('catchup');
      const stream = streamId(category);
      const past = someEvents(3);
      await store().appendToStream(stream, past);
      const reader = open({ filter: { streamPrefixes: [`${category}-`] } });
      await reader.until(caughtUp, 'caughtUp');
      expect(idsOf(reader.events)).toEqual(idsOf(past));

      const live = someEvents(2);
      await store().appendToStream(stream, live);
      await reader.until((r) => r.events.length === 5, 'the live events');
      expect(idsOf(reader.events)).toEqual([...idsOf(past), ...idsOf(live)]);
      expect(reader.items.filter((item) => item.kind === 'caughtUp')).toHaveLength(1);
      expect(nonDecreasing(reader.items)).toBe(true);
    });

    it('starts strictly after the position it is given', async () => {
      const stream = streamId();
      const events = someEvents(4);
      await store().appendToStream(stream, events);
      const recorded = await collect(store().readStream(stream));
      const reader = open({ fromPosition: recorded[1]!.position });
      await reader.until(caughtUp, 'caughtUp');
      expect(idsOf(reader.events)).toEqual(idsOf(events.slice(2)));
    });

    it('delivers from the first event of the log when started from start', async () => {
      await store().appendToStream(streamId(), someEvents(2));
      const [first] = await collect(store().readAll({ maxCount: 1 }));
      const reader = open({ fromPosition: 'start' });
      await reader.until(caughtUp, 'caughtUp');
      expect(reader.events[0]!.id).toBe(first!.id);
    });

    it('says caughtUp at once on a log with nothing after its position', async () => {
      await store().appendToStream(streamId(), someEvents(1));
      const head = await store().headPosition();
      const reader = open({ fromPosition: head });
      await reader.until(caughtUp, 'caughtUp');
      expect(reader.events).toEqual([]);
      expect(reader.items.find((item) => item.kind === 'caughtUp')).toEqual({ kind: 'caughtUp', position: head });
    });

    it('delivers only events matching both the stream prefix and the event type, in catch-up and live', async () => {
      const wanted = uniqueCategory('wanted');
      const stream = streamId(wanted);
      const before = await store().headPosition();
      await store().appendToStream(stream, [...someEvents(2, 'BackupRequested'), ...someEvents(2, 'ChunkWritten')]);
      await store().appendToStream(streamId(uniqueCategory('other')), someEvents(2, 'BackupRequested'));
      const reader = open({
        fromPosition: before,
        filter: { streamPrefixes: [`${wanted}-`], eventTypes: ['BackupRequested', 'BackupCompleted'] },
      });
      await reader.until(caughtUp, 'caughtUp');
      expect(reader.events.map((e) => e.type)).toEqual(['BackupRequested', 'BackupRequested']);

      await store().appendToStream(stream, [...someEvents(1, 'ChunkWritten'), ...someEvents(1, 'BackupCompleted')]);
      await reader.until((r) => r.events.length === 3, 'the live BackupCompleted');
      expect(reader.events.map((e) => e.type)).toEqual(['BackupRequested', 'BackupRequested', 'BackupCompleted']);
      expect(reader.events.every((e) => e.streamId === stream)).toBe(true);
    });

    it('moves its checkpoint across a long filtered-out stretch, in catch-up and live', async () => {
      const wanted = uniqueCategory('sparse');
      const before = await store().headPosition();
      await appendInBatches(store(), streamId('noise'), someEvents(1200), 300);
      const { position: matchAt } = await store().appendToStream(streamId(wanted), someEvents(1, 'BackupRequested'));
      const reader = open({ fromPosition: before, filter: { streamPrefixes: [`${wanted}-`] } });
      await reader.until(caughtUp, 'caughtUp');
      expect(reader.events.map((e) => e.position)).toEqual([matchAt]);
      expect(reader.checkpoints.some((p) => p > before && p < matchAt)).toBe(true);

      await store().appendToStream(streamId('noise'), someEvents(100));
      await reader.until((r) => r.checkpoints.some((p) => p > matchAt), 'a checkpoint within the live noise');
      expect(reader.events).toHaveLength(1);
      expect(nonDecreasing(reader.items)).toBe(true);
    });

    it('sees every event exactly once across a restart from its stored checkpoint', async () => {
      const category = uniqueCategory('restart');
      const streams = [streamId(category), streamId(category), streamId(category)];
      const appended: string[] = [];
      const appendRound = async (perStream: number) => {
        for (const stream of streams) {
          const events = someEvents(perStream);
          await store().appendToStream(stream, events);
          appended.push(...idsOf(events));
          await store().appendToStream(streamId('noise'), someEvents(3));
        }
      };
      const filter = { streamPrefixes: [`${category}-`] };
      const handled: string[] = [];
      let stored = await store().headPosition();
      /** The subscriber: handle the event, then store the position; a checkpoint only moves the position on. */
      const subscriber = (item: SubscriptionItem) => {
        if (item.kind === 'event') handled.push(item.event.id);
        stored = positionOf(item);
      };
      const handledAtLeast = (count: number) => () => handled.length >= count;

      await appendRound(4);
      const first = open({ fromPosition: stored, filter }, subscriber);
      await first.until(handledAtLeast(12), 'the catch-up events');
      await appendRound(2);
      await first.until(handledAtLeast(15), 'some of the live events');
      await first.subscription.unsubscribe();

      await appendRound(3);
      const second = open({ fromPosition: stored, filter }, subscriber);
      await second.until(handledAtLeast(appended.length), 'the events appended while it was down');
      await second.until(caughtUp, 'caughtUp after the restart');
      expect(handled).toEqual(appended);
    });

    it('ends the iteration promptly when unsubscribed while waiting for live events', async () => {
      const reader = open({ fromPosition: await store().headPosition() });
      await reader.until(caughtUp, 'caughtUp');
      reader.startPull();
      await reader.subscription.unsubscribe();
      await reader.ended();
    });

    it('ends the iteration when the store is closed', async () => {
      const reader = open({ fromPosition: await store().headPosition() });
      await reader.until(caughtUp, 'caughtUp');
      reader.startPull();
      await store().close();
      await reader.ended();
    });
  });
