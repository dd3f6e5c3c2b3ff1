import { openMemoryEventStore, type MemoryEventStore } from '@strata/event-store';
import {
  allScope,
  append,
  at,
  availableBackup,
  backupDeleted,
  backupIdOf,
  backupRequested,
  OTHER_PROJECT,
  ownScope,
  volumeCreated,
} from '../testing/catalog-fixtures';
import type { Scope } from '../queries/scope';
import { catalogAsOf, PastReplayBusy } from './catalog-as-of';

const FULL = backupIdOf(1);
const INCREMENTAL = backupIdOf(2);

let store: MemoryEventStore;
beforeEach(async () => {
  store = openMemoryEventStore();
  await append(store, [
    volumeCreated(),
    ...availableBackup({ backupId: FULL }),
    backupRequested({ backupId: INCREMENTAL, parentId: FULL, incremental: true, createdAt: at(20) }),
    { type: 'BackupCompleted', data: { backupId: INCREMENTAL, objectCount: 1, sizeBytes: 1, storedBytes: 1, completedAt: at(21) } },
    ...backupDeleted(INCREMENTAL, 30),
    backupRequested({ backupId: backupIdOf(3), projectId: OTHER_PROJECT, createdAt: at(22) }),
  ]);
});
afterEach(() => store.close());

const statusesAt = async (minute: number, scope: Scope = ownScope) => {
  const past = await catalogAsOf(store, new Date(at(minute)));
  try {
    return [...past.backups(scope)].map((b) => [b.id, b.status, b.hasDependentBackups]);
  } finally {
    past.close();
  }
};

describe('catalogAsOf', () => {
  it('knows nothing before the first event', async () => {
    expect(await statusesAt(5)).toEqual([]);
  });

  it('shows a backup as it was mid-way', async () => {
    expect(await statusesAt(11)).toEqual([[FULL, 'creating', false]]);
  });

  it('shows a chain with its dependent flag, before the deletion', async () => {
    expect(await statusesAt(25)).toEqual([
      [FULL, 'available', true],
      [INCREMENTAL, 'available', false],
    ]);
  });

  it('leaves out what was deleted by then', async () => {
    expect(await statusesAt(40)).toEqual([[FULL, 'available', false]]);
  });

  it("shows other projects' backups only to a scope over all projects", async () => {
    expect((await statusesAt(25, allScope)).map(([id]) => id)).toEqual([FULL, INCREMENTAL, backupIdOf(3)]);
  });
});

/** Counts the turns the event loop gets until stopped: a replay that never yields lets none through. */
const countTurns = () => {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns += 1;
    setImmediate(tick);
  };
  setImmediate(tick);
  return () => {
    running = false;
    return turns;
  };
};

describe('catalogAsOf on a long log', () => {
  beforeEach(async () => {
    const renames = Array.from({ length: 6000 }, (_, i) => ({
      type: 'BackupUpdated' as const,
      data: { backupId: FULL, name: `name-${i}`, updatedAt: at(26) },
    }));
    await append(store, renames);
  });

  it('gives the event loop turns while it replays, so requests keep being answered', async () => {
    const stop = countTurns();
    const past = await catalogAsOf(store, new Date(at(27)));
    const turns = stop();
    past.close();

    expect(turns).toBeGreaterThan(1);
  });

  it('runs one replay at a time: a second one meanwhile is refused, and the next after it runs', async () => {
    const first = catalogAsOf(store, new Date(at(27)));

    await expect(catalogAsOf(store, new Date(at(27)))).rejects.toThrow(PastReplayBusy);
    (await first).close();
    const next = await catalogAsOf(store, new Date(at(27)));
    expect([...next.backups(ownScope)].map((b) => b.name)).toEqual(['name-5999', 'nightly']);
    next.close();
  });
});
