import type { EventStore } from '../event-store.port';
import { appendContract } from './append.contract';
import { beaconContract } from './beacon.contract';
import { anEvent, collect, streamId, withFreshStore } from './contract-support';
import { bulkContract } from './bulk.contract';
import { deleteContract } from './delete.contract';
import { readContract } from './read.contract';
import { subscribeContract } from './subscribe.contract';

export interface EventStoreContractOptions {
  /** Size of the bulk append-and-replay case; a size, never a semantic switch. Default 100,000. */
  readonly bulkEvents?: number;
}

/**
 * The one specification of the EventStore port, run unchanged against every adapter from `test/contract/`.
 * `open` must return a store that is ready to use; the suite closes it after each test and never assumes
 * the log is empty except where it reads from position 1.
 */
export const eventStoreContract = (
  adapterName: string,
  open: () => Promise<EventStore>,
  { bulkEvents = 100_000 }: EventStoreContractOptions = {},
) =>
  describe(`EventStore contract on ${adapterName}`, () =>
    withFreshStore(open, (store) => {
      appendContract(store);
      readContract(store);
      subscribeContract(store);
      deleteContract(store);
      beaconContract(store);
      bulkContract(store, bulkEvents);

      describe('close', () => {
        it('refuses appends and reads after close with EventStoreClosed', async () => {
          await store().close();
          await expect(store().appendToStream('backup-x', [])).rejects.toMatchObject({ name: 'EventStoreClosed' });
          await expect(store().headPosition()).rejects.toMatchObject({ name: 'EventStoreClosed' });
        });
      });
    }));

/**
 * Event ids unique across the whole log: the embedded stores keep a unique index on them, and find an
 * event by its id through it (`findEvent`, what a keyed command asks instead of reading its stream).
 * EventStoreDB does not (an id is an idempotency key within its stream), so this part is not run on esdb.
 */
export const globalEventIdContract = (adapterName: string, open: () => Promise<EventStore>) =>
  describe(`Event ids unique in the whole log, on ${adapterName}`, () =>
    withFreshStore(open, (store) => {
      it('refuses ids already recorded in another stream with DuplicateEventId', async () => {
        const event = anEvent();
        await store().appendToStream(streamId(), [event]);
        const other = streamId();
        await expect(store().appendToStream(other, [anEvent(), event])).rejects.toMatchObject({
          name: 'DuplicateEventId',
          stream: other,
          eventId: event.id,
        });
      });

      it('records nothing of a batch that reuses an id of another stream', async () => {
        const taken = anEvent();
        await store().appendToStream(streamId(), [taken]);
        const head = await store().headPosition();
        const stream = streamId();
        await expect(store().appendToStream(stream, [anEvent(), taken])).rejects.toMatchObject({ name: 'DuplicateEventId' });
        expect(await store().headPosition()).toBe(head);
        await expect(collect(store().readStream(stream))).rejects.toMatchObject({ name: 'StreamNotFound' });
      });

      describe('findEvent', () => {
        it('finds an event of the stream by its id, as readStream shows it', async () => {
          const stream = streamId();
          const events = [anEvent(), anEvent('BackupStarted', { n: 2 }, { requestId: 'req-1' })];
          await store().appendToStream(stream, events);
          const [, second] = await collect(store().readStream(stream));

          expect(await store().findEvent!(stream, events[1]!.id)).toEqual(second);
        });

        it('finds none for an id it never recorded, nor for one recorded in another stream', async () => {
          const elsewhere = anEvent();
          await store().appendToStream(streamId(), [elsewhere]);
          const stream = streamId();
          await store().appendToStream(stream, [anEvent()]);

          expect(await store().findEvent!(stream, anEvent().id)).toBeNull();
          expect(await store().findEvent!(stream, elsewhere.id)).toBeNull();
          expect(await store().findEvent!(streamId(), elsewhere.id)).toBeNull();
        });

        it('finds none that a soft delete hid, and those appended after it', async () => {
          const stream = streamId();
          const before = anEvent();
          await store().appendToStream(stream, [before]);
          await store().deleteStream(stream);
          expect(await store().findEvent!(stream, before.id)).toBeNull();

          const after = anEvent();
          await store().appendToStream(stream, [after]);
          expect(await store().findEvent!(stream, before.id)).toBeNull();
          expect((await store().findEvent!(stream, after.id))?.revision).toBe(1n);
        });
      });
    }));
