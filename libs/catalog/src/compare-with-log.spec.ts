import { openMemoryEventStore, type MemoryEventStore, type RecordedEvent } from '@strata/event-store';
import { compareWithLog } from './compare-with-log';
import { CATALOG_CHECKPOINT, writeCheckpoint } from './projection-checkpoint';
import { openCatalogDatabase, type CatalogDatabase } from './schema/catalog-database';
import { append, volumeCreated, volumeProvisioned } from './testing/catalog-fixtures';

let db: CatalogDatabase;
let store: MemoryEventStore;
beforeEach(() => {
  db = openCatalogDatabase(':memory:');
  store = openMemoryEventStore();
});
afterEach(async () => {
  await store.close();
  db.close();
});

const logOf = async (s: MemoryEventStore): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for await (const e of s.readAll()) events.push(e);
  return events;
};

/** A catalog that has applied up to this event (position and id), as the runner records it. */
const appliedUpTo = (position: bigint, id: string) => writeCheckpoint(db, CATALOG_CHECKPOINT, position, { position, id });

describe('compareWithLog', () => {
  it('agrees when the log holds the last applied event at its position, however long the log is now', async () => {
    await append(store, [volumeCreated(), volumeProvisioned()]);
    const [first] = await logOf(store);
    appliedUpTo(1n, first!.id);
    expect(await compareWithLog(db, store, CATALOG_CHECKPOINT)).toBeNull();
  });

  it('agrees with any log while the catalog has applied nothing', async () => {
    expect(await compareWithLog(db, store, CATALOG_CHECKPOINT)).toBeNull();
  });

  it('finds a log shorter than the catalog, naming both positions and ids', async () => {
    await append(store, [volumeCreated()]);
    const [only] = await logOf(store);
    appliedUpTo(2n, 'event-two');
    expect(await compareWithLog(db, store, CATALOG_CHECKPOINT)).toEqual({
      checkpoint: 2n,
      applied: { position: 2n, id: 'event-two' },
      head: 1n,
      newest: { position: 1n, id: only!.id },
      found: null,
      message:
        'The catalog is ahead of its log: the catalog applied event event-two at position 2 (checkpoint 2), ' +
        `but the log ends at position 1 (event ${only!.id})`,
    });
  });

  it('finds an empty log behind a catalog that applied events', async () => {
    appliedUpTo(2n, 'event-two');
    expect((await compareWithLog(db, store, CATALOG_CHECKPOINT))?.message).toBe(
      'The catalog is ahead of its log: the catalog applied event event-two at position 2 (checkpoint 2), but the log is empty',
    );
  });

  it('finds another event at the position of the last applied one', async () => {
    await append(store, [volumeCreated(), volumeProvisioned()]);
    const [, second] = await logOf(store);
    appliedUpTo(2n, 'from-another-store');
    expect(await compareWithLog(db, store, CATALOG_CHECKPOINT)).toMatchObject({
      head: 2n,
      found: { position: 2n, id: second!.id },
      message: `The catalog does not match its log: the catalog applied event from-another-store at position 2 (checkpoint 2), but the log holds event ${second!.id} at that position (head 2)`,
    });
  });
});
