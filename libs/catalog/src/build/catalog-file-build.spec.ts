import { openMemoryEventStore, openSqliteEventStore, type SqliteEventStore, type SubscribeToAllOptions } from '@strata/event-store';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedCatalogHistory } from '../../../../bench/catalog-history';
import { Catalog } from '../catalog';
import { exportHistory } from '../history/export-history';
import { importHistory } from '../history/import-history';
import type { ProjectionFailed } from '../errors';
import { dumpCatalog } from '../rebuild';
import { openCatalogDatabase } from '../schema/catalog-database';
import { missingListIndexes } from '../schema/list-indexes';
import { append, volumeCreated } from '../testing/catalog-fixtures';
import { startCatalogFileBuild } from './catalog-file-build';

let dir: string;
let store: SqliteEventStore;
const opened: Catalog[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-file-build-'));
  store = openSqliteEventStore(join(dir, 'events.sqlite'), { synchronous: 'NORMAL' });
});
afterEach(async () => {
  for (const catalog of opened.splice(0)) await catalog.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const open = (
  path: string,
  options: {
    onParked?: (failure: ProjectionFailed) => void;
    onCatchUpOnThread?: (from: bigint, head: bigint) => void;
    farBehindEvents?: number;
  } = {},
) => {
  const catalog = Catalog.open({ path, store, ...options });
  opened.push(catalog);
  return catalog;
};

/** Where each subscription this thread opens on the log starts. */
const subscriptionsFrom = (s: SqliteEventStore): (bigint | 'start')[] => {
  const from: (bigint | 'start')[] = [];
  const subscribe = s.subscribeToAll.bind(s);
  s.subscribeToAll = (options?: SubscribeToAllOptions) => {
    from.push(options?.fromPosition ?? 'start');
    return subscribe(options);
  };
  return from;
};

/** A VolumeCreated whose size no SQLite INTEGER holds: every projection of it fails, the event is parked. */
const appendUnprojectable = () =>
  append(store, [volumeCreated({ volumeId: 'f0000000-0000-4000-8000-0000000000ff', name: 'hostile', sizeGb: 2 ** 63 })]);

/** A history file of `backups` seeded backups (from a store of its own), as the lines an import reads. */
const historyLines = async (backups: number): Promise<string[]> => {
  const source = openMemoryEventStore();
  await seedCatalogHistory(source, { backups });
  let text = '';
  for await (const chunk of exportHistory(source, { selection: { all: true }, streams: null, exportedAt: '2026-12-05T00:00:00.000Z' }))
    text += chunk;
  await source.close();
  return text.split('\n').filter((line) => line !== '');
};

/** Imports those lines into the store under test, as `POST /strata/v1/catalog/import` does; the position reached. */
const importLines = async (lines: readonly string[]): Promise<bigint> =>
  (
    await importHistory(store, async function* () {
      yield* lines;
    })
  ).position;

describe('a catalog built from a SQLite log, on a thread of its own', () => {
  it('is what a build on the event loop makes, and this thread reads only what came after the head', async () => {
    // Given a SQLite log with history, and the catalog a memory store's event loop builds from it
    const { head } = await seedCatalogHistory(store, { backups: 200 });
    const reference = open(':memory:');
    reference.start();
    await reference.waitForPosition(head, 20_000);

    // When a catalog starts on a new file (a cold start builds beside, as a rebuild does)
    const from = subscriptionsFrom(store);
    const catalog = open(join(dir, 'catalog.sqlite'));
    catalog.start();
    await catalog.caughtUp();

    // Then it holds the same rows and every list index, and no subscription here replayed the history
    expect(catalog.position()).toBeGreaterThanOrEqual(head);
    expect(dumpCatalog(catalog.db)).toEqual(dumpCatalog(reference.db));
    expect(missingListIndexes(catalog.db)).toEqual([]);
    expect(from.length).toBeGreaterThan(0);
    for (const position of from) expect(position).not.toBe('start');
    for (const position of from) expect(position as bigint).toBeGreaterThanOrEqual(head);
  });

  it('rebuilds a running catalog the same way, and catches up with what was appended meanwhile', async () => {
    const { head } = await seedCatalogHistory(store, { backups: 100 });
    const catalog = open(join(dir, 'catalog.sqlite'));
    catalog.start();
    await catalog.caughtUp();
    const live = dumpCatalog(catalog.db);
    catalog.db.exec('DELETE FROM backup_children');

    const rebuilt = catalog.rebuild();
    const later = await appendUnprojectable();

    expect(await rebuilt).toBeGreaterThanOrEqual(head);
    await catalog.waitForPosition(later);
    expect(dumpCatalog(catalog.db).backup_children).toEqual(live.backup_children);
  });

  it('reports the events it parks on the thread, and records them in the file', async () => {
    // Given a log holding an event no projection can apply
    await seedCatalogHistory(store, { backups: 20 });
    const hostile = await appendUnprojectable();
    const parked: ProjectionFailed[] = [];

    // When a catalog is built from it
    const catalog = open(join(dir, 'catalog.sqlite'), { onParked: (failure) => parked.push(failure) });
    catalog.start();
    await catalog.caughtUp();

    // Then the parked event was told with its fields, and the built file lists it
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ position: hostile, eventType: 'VolumeCreated', projection: 'volumes' });
    expect(String((parked[0]!.cause as Error).message)).toMatch(/INTEGER/);
    expect(catalog.projectionFailures()).toMatchObject([{ position: hostile, type: 'VolumeCreated', projection: 'volumes' }]);
  });

  it.each([
    ['a thread', () => store],
    ['the event loop (a store no thread can open)', () => openMemoryEventStore()],
  ])('is given up at once when the catalog closes mid-build on %s, leaving no file beside', async (_where, log) => {
    // Given a log long enough that the build takes a while, and a catalog starting on a new file
    const events = log();
    await seedCatalogHistory(events, { backups: 1500 });
    const path = join(dir, 'catalog.sqlite');
    const catalog = Catalog.open({ path, store: events });
    catalog.start();
    while (!existsSync(`${path}.rebuild`)) await new Promise((resolve) => setTimeout(resolve, 5));

    // When it is closed mid-build
    await catalog.close();

    // Then the build was given up, not finished and swapped in, and the files beside are gone
    expect(existsSync(`${path}.rebuild`)).toBe(false);
    expect(existsSync(`${path}.rebuild.part`)).toBe(false);
    const db = openCatalogDatabase(path);
    expect(db.prepare('SELECT COUNT(*) FROM backups').pluck().get()).toBe(0);
    db.close();
    if (events !== store) await events.close();
  });

  it('runs on the event loop for a store no other thread can open', async () => {
    const memory = openMemoryEventStore();
    const inMemory = startCatalogFileBuild(memory, join(dir, 'memory.sqlite'), 0n, { waitMs: 1000 });
    const onThread = startCatalogFileBuild(store, join(dir, 'thread.sqlite'), 0n, { waitMs: 1000 });
    await Promise.all([inMemory.finished, onThread.finished]);
    await memory.close();

    expect(inMemory.where).toBe('event loop');
    expect(onThread.where).toBe('thread');
  });
});

describe('a live catalog far behind a SQLite log, caught up on a thread', () => {
  /** The service's 20,000 would need a history of thousands of backups: the same decision, at a size a spec can afford. */
  const FAR_BEHIND = 2_000;

  it('hands the gap to a thread, releases the readers waiting for a position, and ends with the rows a replay gives', async () => {
    // Given a running catalog on a SQLite log, and a history file
    const lines = await historyLines(600);
    const catchUps: [bigint, bigint][] = [];
    const catalog = open(join(dir, 'catalog.sqlite'), {
      farBehindEvents: FAR_BEHIND,
      onCatchUpOnThread: (from, head) => catchUps.push([from, head]),
    });
    catalog.start();
    await catalog.caughtUp();

    // When far more than the live runner's share is appended at once: an import
    const head = await importLines(lines);
    await catalog.waitForPosition(head, 120_000);

    // Then a thread closed the gap, and the catalog holds what a catalog built from the whole log holds
    expect(catchUps.length).toBeGreaterThan(0);
    expect(catchUps[0]![1] - catchUps[0]![0]).toBeGreaterThan(BigInt(FAR_BEHIND));
    const reference = open(':memory:');
    reference.start();
    await reference.waitForPosition(head, 60_000);
    expect(dumpCatalog(catalog.db)).toEqual(dumpCatalog(reference.db));
    // and it goes on following the log here
    const later = await appendUnprojectable();
    await catalog.waitForPosition(later);
    expect(catalog.parkedEventCount()).toBe(1);
  }, 120_000);

  it('stops a catch-up when the catalog stops: the batch in hand is committed, and the next start goes on from it', async () => {
    const lines = await historyLines(600);
    const path = join(dir, 'catalog.sqlite');
    let caughtUpOnThread = false;
    const catalog = Catalog.open({ path, store, farBehindEvents: FAR_BEHIND, onCatchUpOnThread: () => (caughtUpOnThread = true) });
    catalog.start();
    await catalog.caughtUp();
    const head = await importLines(lines);
    while (!caughtUpOnThread) await new Promise((resolve) => setTimeout(resolve, 5));

    await catalog.close();

    const again = open(path);
    again.start();
    await again.caughtUp();
    expect(again.position()).toBeGreaterThanOrEqual(head);
    const reference = open(':memory:');
    reference.start();
    await reference.waitForPosition(head, 60_000);
    expect(dumpCatalog(again.db)).toEqual(dumpCatalog(reference.db));
  }, 120_000);
});

describe("an import's appends, projected on a thread beside them", () => {
  it.each([
    { how: 'into a new file swapped in at the end, the import bringing at least as many events as the log held', volumesBefore: 0 },
    { how: 'into the live file, the log holding more events than the import brings', volumesBefore: 400 },
  ])('leaves the catalog holding the whole import when the appends end, projected $how', async ({ volumesBefore }) => {
    // Given a running catalog on a SQLite log (empty, or holding more events than the file), and a history file
    const lines = await historyLines(40);
    const before = await append(
      store,
      Array.from({ length: volumesBefore }, (_, i) =>
        volumeCreated({ volumeId: `c0000000-0000-4000-8000-${String(i).padStart(12, '0')}` }),
      ),
    );
    const catalog = open(join(dir, 'catalog.sqlite'));
    catalog.start();
    await catalog.caughtUp();
    expect(catalog.position()).toBe(before);
    const liveFile = catalog.db;
    const from = subscriptionsFrom(store);

    // When it is imported with its projection on a thread
    const result = await importHistory(
      store,
      async function* () {
        yield* lines;
      },
      { appending: (events, append) => catalog.projectingOnThread(events, append) },
    );

    // Then the catalog shows all of it at once, as a replay of the log does, from the file it was built in,
    // and this thread projected none of it: it follows the log here again from past the import
    expect(catalog.position()).toBeGreaterThanOrEqual(result.position);
    if (volumesBefore === 0) expect(catalog.db).not.toBe(liveFile);
    else expect(catalog.db).toBe(liveFile);
    expect(existsSync(join(dir, 'catalog.sqlite.rebuild'))).toBe(false);
    const subscribedHere = [...from];
    expect(subscribedHere.length).toBeGreaterThan(0);
    const reference = open(':memory:');
    reference.start();
    await reference.waitForPosition(result.position, 60_000);
    expect(dumpCatalog(catalog.db)).toEqual(dumpCatalog(reference.db));
    for (const position of subscribedHere) expect(position as bigint).toBeGreaterThanOrEqual(result.position);
    const later = await appendUnprojectable();
    await catalog.waitForPosition(later);
    expect(catalog.parkedEventCount()).toBe(1);
  });

  it('gives the file beside up when the catalog closes mid-import, and the next start projects the whole import', async () => {
    // Given a running catalog on an empty SQLite log, importing a file that it builds beside the live one
    const lines = await historyLines(300);
    const path = join(dir, 'catalog.sqlite');
    const catalog = open(path);
    catalog.start();
    await catalog.caughtUp();
    let appending: () => void = () => undefined;
    const appendsStarted = new Promise<void>((resolve) => (appending = resolve));
    const importing = importHistory(
      store,
      async function* () {
        yield* lines;
      },
      { appending: (events, append) => catalog.projectingOnThread(events, () => (appending(), append())) },
    );

    // When the catalog closes while the appends run
    await appendsStarted;
    await catalog.close();
    const result = await importing;

    // Then nothing of the build is left beside, and the next start brings the live file up to the log
    expect(existsSync(`${path}.rebuild`)).toBe(false);
    const again = open(path);
    again.start();
    await again.waitForPosition(result.position, 60_000);
    const reference = open(':memory:');
    reference.start();
    await reference.waitForPosition(result.position, 60_000);
    expect(dumpCatalog(again.db)).toEqual(dumpCatalog(reference.db));
  }, 60_000);

  it('simply appends where no thread can read the log', async () => {
    const memory = openMemoryEventStore();
    const catalog = Catalog.open({ path: join(dir, 'memory-log.sqlite'), store: memory });
    opened.push(catalog);
    catalog.start();
    await catalog.caughtUp();
    const lines = await historyLines(20);

    const result = await importHistory(
      memory,
      async function* () {
        yield* lines;
      },
      { appending: (events, append) => catalog.projectingOnThread(events, append) },
    );

    await catalog.waitForPosition(result.position);
    expect(catalog.listBackups({ scope: { projectId: 'x', allProjects: true }, limit: null }).total).toBeGreaterThan(0);
    await catalog.close();
    await memory.close();
  });
});
