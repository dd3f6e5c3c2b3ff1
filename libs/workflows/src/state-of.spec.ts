import { append, at, backupIdOf, event } from '@strata/catalog/testing/catalog-fixtures';
import { backupStreamId, type BackupUpdated, type StrataEvent } from '@strata/domain';
import { openMemoryEventStore, type EventStore } from '@strata/event-store';
import { spyOnReads } from '@strata/event-store/testing/read-spy';
import { newestEventWhere } from './state-of';

const backupId = backupIdOf(1);
const renamed = (name: string) => event('BackupUpdated', { backupId, name, updatedAt: at(1) });
const named =
  (name: string) =>
  (e: StrataEvent): e is BackupUpdated =>
    e.type === 'BackupUpdated' && e.data.name === name;

describe('newestEventWhere: a recent event a state leaves out, read from the stream’s end', () => {
  let inner: EventStore;
  beforeEach(async () => {
    inner = openMemoryEventStore();
    // Given a backup renamed 100 times, to "name 0" … "name 99", "name 7" twice (revisions 7 and 50).
    await append(inner, [...Array.from({ length: 100 }, (_, i) => renamed(`name ${i === 50 ? 7 : i}`))]);
  });
  afterEach(() => inner.close());

  it('finds the newest that matches, reading back no further than the window that holds it', async () => {
    const { store, reads } = spyOnReads(inner);

    const found = await newestEventWhere(store, backupStreamId(backupId), named('name 98'));

    expect(found?.data.name).toBe('name 98');
    expect(reads).toEqual([{ options: { direction: 'backwards', fromRevision: 'end', maxCount: 8 }, events: 2 }]);
  });

  it('reads back in windows eight times larger each, to the newest of two that match (revision 50, not 7)', async () => {
    const { store, reads } = spyOnReads(inner);

    const found = await newestEventWhere(store, backupStreamId(backupId), named('name 7'));

    expect(found).toBeDefined();
    // Revisions 99–92, then 91 back to 50.
    expect(reads.map((r) => [r.options?.fromRevision, r.options?.maxCount, r.events])).toEqual([
      ['end', 8, 8],
      [91n, 64, 42],
    ]);
  });

  it('reads the whole stream, once, for an event it does not hold, and finds none', async () => {
    const { store, reads } = spyOnReads(inner);

    expect(await newestEventWhere(store, backupStreamId(backupId), named('never'))).toBeUndefined();
    expect(reads.reduce((events, r) => events + r.events, 0)).toBe(100);
  });

  it('finds none in a stream that does not exist', async () => {
    expect(await newestEventWhere(inner, backupStreamId(backupIdOf(2)), named('name 1'))).toBeUndefined();
  });
});
