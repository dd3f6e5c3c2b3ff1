import type { EventStore } from '../event-store.port';
import { appendContract } from './append.contract';
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
  describe(`EventStore contract on ${adapterName}`, () => {
    let current: EventStore | undefined;
    const store = (): EventStore => {
      if (!current) throw new Error('The store is opened in beforeEach');
      return current;
    };
    beforeEach(async () => {
      current = await open();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });

    appendContract(store);
    readContract(store);
    subscribeContract(store);
    deleteContract(store);
    bulkContract(store, bulkEvents);

    describe('close', () => {
      it('refuses appends and reads after close with EventStoreClosed', async () => {
        await store().close();
        await expect(store().appendToStream('backup-x', [])).rejects.toMatchObject({ name: 'EventStoreClosed' });
        await expect(store().headPosition()).rejects.toMatchObject({ name: 'EventStoreClosed' });
      });
    });
  });
