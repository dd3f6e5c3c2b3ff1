import { openMemoryEventStore, type MemoryEventStore, type RecordedEvent } from '@strata/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog, type CatalogOptions } from './catalog';
import { CATALOG_PROJECTIONS } from './projections';
import type { Projection } from './projections/projection';
import { dumpCatalog, rebuildCatalog } from './rebuild';
import { openCatalogDatabase } from './schema/catalog-database';
import {
  allScope,
  append,
  availableBackup,
  backupIdOf,
  ownScope,
  VOLUME,
  volumeCreated,
  volumeProvisioned,
} from './testing/catalog-fixtures';

const SECOND_VOLUME = 'a0000000-0000-4000-8000-000000000002';

let dir: string;
let path: string;
const opened: Catalog[] = [];
const stores: MemoryEventStore[] = [];
let warnings: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-catalog-spec-'));
  path = join(dir, 'catalog.sqlite');
  warnings = [];
});
afterEach(async () => {
  for (const catalog of opened.splice(0)) await catalog.close();
  for (const store of stores.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const newStore = () => {
  const store = openMemoryEventStore();
  stores.push(store);
  return store;
};

/** A catalog on `path` following `store`, started and caught up; warnings are collected. */
const started = async (store: MemoryEventStore, options: CatalogOptions = {}): Promise<Catalog> => {
  const catalog = new Catalog(openCatalogDatabase(path), store, { warn: (m) => warnings.push(m), ...options }, path);
  opened.push(catalog);
  catalog.start();
  await catalog.caughtUp();
  return catalog;
};

const closeAll = async () => {
  for (const catalog of opened.splice(0)) await catalog.close();
};

const logOf = async (store: MemoryEventStore): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for await (const e of store.readAll()) events.push(e);
  return events;
};

/** Another store holding these very events (same ids, same positions): a copy of the log. */
const copyOf = async (events: readonly RecordedEvent[]): Promise<MemoryEventStore> => {
  const store = newStore();
  for (const e of events) await store.appendToStream(e.streamId, [{ id: e.id, type: e.type, data: e.data, metadata: e.metadata }]);
  return store;
};

/** What a rebuild from scratch gives for this log. */
const rebuiltFrom = async (store: MemoryEventStore) => {
  const fresh = join(dir, 'fresh.sqlite');
  await rebuildCatalog(store, fresh);
  const db = openCatalogDatabase(fresh);
  try {
    return dumpCatalog(db);
  } finally {
    db.close();
  }
};

const throwingOn = (type: string): Projection => ({
  name: 'boom',
  handles: [type as never],
  apply() {
    throw new Error('projection bug');
  },
});

describe('Catalog against its log', () => {
  it('rebuilds at start-up from a log shorter than itself (an older copy), and warns with both positions and ids', async () => {
    const newer = newStore();
    await append(newer, [volumeCreated(), volumeProvisioned(), ...availableBackup()]);
    await started(newer);
    const log = await logOf(newer);
    await closeAll();
    const older = await copyOf(log.slice(0, 2));

    const catalog = await started(older);

    expect(catalog.position()).toBe(2n);
    expect(catalog.getBackup(backupIdOf(1), allScope)).toBeNull();
    expect(dumpCatalog(catalog.db)).toEqual(await rebuiltFrom(older));
    expect(warnings).toEqual([
      `The catalog is ahead of its log: the catalog applied event ${log[6]!.id} at position 7 (checkpoint 7), but the log ends at ` +
        `position 2 (event ${log[1]!.id}); found at start-up, rebuilding the catalog from the log`,
    ]);
  });

  it('answers reads of new writes from the rebuilt catalog, at positions the old one had passed', async () => {
    const newer = newStore();
    await append(newer, [volumeCreated(), volumeProvisioned(), ...availableBackup()]);
    await started(newer);
    const log = await logOf(newer);
    await closeAll();
    const older = await copyOf(log.slice(0, 2));
    const catalog = await started(older);

    const position = await append(older, [volumeCreated({ volumeId: SECOND_VOLUME })]);
    await catalog.waitForPosition(position);

    expect(position).toBe(3n);
    expect(catalog.getVolume(SECOND_VOLUME, ownScope)?.status).toBe('creating');
  });

  it('rebuilds at start-up from a log as long as itself that holds other events (another store)', async () => {
    const first = newStore();
    await append(first, [volumeCreated(), volumeProvisioned()]);
    await started(first);
    await closeAll();
    const other = newStore();
    await append(other, [volumeCreated({ volumeId: SECOND_VOLUME }), volumeProvisioned(SECOND_VOLUME)]);

    const catalog = await started(other);

    expect(catalog.getVolume(VOLUME, ownScope)).toBeNull();
    expect(catalog.getVolume(SECOND_VOLUME, ownScope)?.status).toBe('available');
    expect(dumpCatalog(catalog.db)).toEqual(await rebuiltFrom(other));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^The catalog does not match its log: .* at position 2 \(checkpoint 2\), but the log holds event .* at that position \(head 2\)/,
    );
  });

  it('neither warns nor rebuilds when the log holds what the catalog applied, and more', async () => {
    const store = newStore();
    await append(store, [volumeCreated(), volumeProvisioned()]);
    await started(store);
    await closeAll();
    const head = await append(store, availableBackup());

    const catalog = await started(store);

    expect(catalog.position()).toBe(head);
    expect(warnings).toEqual([]);
  });
});

describe('Catalog with parked events', () => {
  it('starts on a catalog with a parked event and keeps it parked, then a rebuild retries it', async () => {
    const store = newStore();
    await append(store, [volumeCreated(), volumeProvisioned()]);
    await started(store, { projections: [...CATALOG_PROJECTIONS, throwingOn('VolumeProvisioned')] });
    await closeAll();

    // The projection fixed (a new version): the parked event stays parked until a rebuild replays it.
    const catalog = await started(store);
    expect(catalog.projectionFailures()).toMatchObject([
      { position: 2n, type: 'VolumeProvisioned', projection: 'boom', error: 'projection bug' },
    ]);
    expect(catalog.parkedEventCount()).toBe(1);
    expect(catalog.getVolume(VOLUME, ownScope)?.status).toBe('creating');

    await catalog.rebuild();

    expect(catalog.projectionFailures()).toEqual([]);
    expect(catalog.getVolume(VOLUME, ownScope)?.status).toBe('available');
  });
});
