import { catalogImportStreamId, IMPORT_ID } from '@strata/domain';
import { openMemoryEventStore, openSqliteEventStore, type EventStore, type MemoryEventStore } from '@strata/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { seedCatalogHistory } from '../../../../bench/catalog-history';
import { Catalog } from '../catalog';
import { dumpCatalog } from '../rebuild';
import { append, at, availableBackup, backupIdOf, meta, volumeCreated, volumeProvisioned } from '../testing/catalog-fixtures';
import { exportHistory } from './export-history';
import { HistoryDigest } from './history-file';
import { HistoryConflict, importHistory } from './import-history';

const FULL = backupIdOf(1);
const INCREMENTAL = backupIdOf(2);

/** A volume with a full and an incremental on it. */
const givenChain = async (store: EventStore) =>
  append(store, [
    volumeCreated(),
    volumeProvisioned(),
    ...availableBackup({ backupId: FULL }),
    ...availableBackup({ backupId: INCREMENTAL, parentId: FULL, incremental: true, createdAt: at(20) }),
  ]);

const exported = async (store: EventStore, streams: ReadonlySet<string> | null = null) => {
  let text = '';
  for await (const line of exportHistory(store, { selection: { all: true }, streams, exportedAt: at(60) })) text += line;
  return text;
};

const linesOf = (text: string) => () => Readable.from(text.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1));

const all = async <T>(items: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

/** The store, whose appends fail once `okAppends` have gone through (a full disk, a lost connection). */
const failingAfter = (store: EventStore, okAppends: number): EventStore => {
  let left = okAppends;
  return new Proxy(store, {
    get(target, property, receiver) {
      // Without multi-stream appends (as EventStoreDB), an import appends run by run and can stop between.
      if (property === 'appendToStreams') return undefined;
      if (property !== 'appendToStream') return Reflect.get(target, property, receiver) as unknown;
      return (...args: Parameters<EventStore['appendToStream']>) => {
        if (left-- <= 0) return Promise.reject(new Error('the disk is full'));
        return target.appendToStream(...args);
      };
    },
  });
};

const catalogOf = async (store: EventStore) => {
  const catalog = Catalog.open({ path: ':memory:', store });
  catalog.start();
  await catalog.waitForPosition(await store.headPosition());
  const dump = dumpCatalog(catalog.db);
  await catalog.close();
  return dump;
};

let source: MemoryEventStore;
let target: MemoryEventStore;
beforeEach(async () => {
  source = openMemoryEventStore({ now: () => new Date(at(0)) });
  target = openMemoryEventStore({ now: () => new Date(at(500)) });
  await givenChain(source);
});
afterEach(async () => {
  await source.close();
  await target.close();
});

describe('importHistory', () => {
  it('gives an empty store the same catalog, with the first recording times', async () => {
    const result = await importHistory(target, linesOf(await exported(source)));

    expect(result).toMatchObject({ events: 12, streams: 3, appended: 12, alreadyPresent: 0 });
    const [here, there] = [await catalogOf(target), await catalogOf(source)];
    // Each store numbers its own log (the import's start mark comes first here).
    const withoutPositions = (rows: Record<string, unknown>[]) => rows.map(({ last_event_position: _p, ...row }) => row);
    expect(withoutPositions(here.backups)).toEqual(withoutPositions(there.backups));
    expect(here.backup_children).toEqual(there.backup_children);
    expect(here.audit.map((row) => row.recorded_at)).toEqual(there.audit.map((row) => row.recorded_at));
  });

  it('brackets what it appends with its start and completion, and names itself on every event it brought', async () => {
    const result = await importHistory(target, linesOf(await exported(source)), { now: () => new Date(at(600)) });

    const log = await all(target.readAll());
    expect(log[0]).toMatchObject({
      streamId: catalogImportStreamId(result.importId),
      type: 'CatalogImportStarted',
      data: { importId: result.importId, events: 12, startedAt: at(600) },
    });
    expect(log.at(-1)).toMatchObject({ type: 'CatalogImportCompleted', data: { importId: result.importId, appended: 12 } });
    expect(log.slice(1, -1).map((e) => e.metadata[IMPORT_ID])).toEqual(Array(12).fill(result.importId));
    expect(result.position).toBe(log.at(-1)!.position);
  });

  it('is resumed by importing the same file again after it stopped part-way; until then the catalog lists it unfinished', async () => {
    const file = await exported(source);
    await expect(importHistory(failingAfter(target, 2), linesOf(file))).rejects.toThrow('the disk is full');
    const catalog = Catalog.open({ path: ':memory:', store: target });
    catalog.start();
    try {
      await catalog.waitForPosition(await target.headPosition());
      const [importId] = [...catalog.unfinishedImports()];
      expect(importId).toMatch(/^[0-9a-f]{64}$/);

      const retried = await importHistory(target, linesOf(file));

      expect(retried).toMatchObject({ importId, appended: 12 - retried.alreadyPresent });
      expect(retried.alreadyPresent).toBeGreaterThan(0);
      await catalog.waitForPosition(retried.position);
      expect(catalog.unfinishedImports().size).toBe(0);
      const marks = (await all(target.readAll())).filter((e) => e.streamId === catalogImportStreamId(importId!)).map((e) => e.type);
      expect(marks).toEqual(['CatalogImportStarted', 'CatalogImportCompleted']);
    } finally {
      await catalog.close();
    }
  });

  it('appends every batch but the last without waiting for the disk, and the last durably, which carries them all', async () => {
    // Given a history of more than one batch (500 events)
    const large = openMemoryEventStore();
    const { events } = await seedCatalogHistory(large, { backups: 100 });
    const file = await exported(large);
    await large.close();
    const dir = mkdtempSync(join(tmpdir(), 'strata-import-batches-'));
    const sqlite = openSqliteEventStore(join(dir, 'events.sqlite'), { synchronous: 'NORMAL' });
    const durable: (boolean | undefined)[] = [];
    const recording = new Proxy(sqlite, {
      get(store, property, receiver) {
        if (property !== 'appendToStreams') return Reflect.get(store, property, receiver) as unknown;
        return (...args: Parameters<NonNullable<EventStore['appendToStreams']>>) => {
          durable.push(args[1]?.durable);
          return store.appendToStreams(...args);
        };
      },
    });

    // When it is imported into a store that appends many streams at once
    const result = await importHistory(recording, linesOf(file)).finally(async () => {
      await sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    });

    // Then one batch per 500 events, the last one durable
    expect(result.appended).toBe(events);
    expect(durable).toEqual([...Array<boolean>(Math.ceil(events / 500) - 1).fill(false), true]);
  });

  it('records nothing for a history this store already holds', async () => {
    const result = await importHistory(source, linesOf(await exported(source)));

    expect(result).toMatchObject({ appended: 0, alreadyPresent: 12, position: 0n });
    expect((await all(source.readAll())).some((e) => e.streamId.startsWith('catalog-import-'))).toBe(false);
  });

  it('appends nothing the second time', async () => {
    const file = await exported(source);
    await importHistory(target, linesOf(file));
    const head = await target.headPosition();

    expect(await importHistory(target, linesOf(file))).toMatchObject({ appended: 0, alreadyPresent: 12, position: 0n });
    expect(await target.headPosition()).toBe(head);
  });

  it('appends only the tail a stream lacks', async () => {
    const older = await exported(source);
    await importHistory(target, linesOf(older));
    await append(source, [{ type: 'BackupUpdated', data: { backupId: FULL, name: 'renamed', updatedAt: at(40) } }]);

    expect(await importHistory(target, linesOf(await exported(source)))).toMatchObject({ appended: 1, alreadyPresent: 12 });
    expect((await catalogOf(target)).backups.find((row) => row.id === FULL)).toMatchObject({ name: 'renamed' });
  });

  it('refuses a stream that holds other events here, writing nothing at all', async () => {
    await append(target, [volumeCreated()], meta());
    const head = await target.headPosition();

    await expect(importHistory(target, linesOf(await exported(source)))).rejects.toThrow(HistoryConflict);
    expect(await target.headPosition()).toBe(head);
  });

  it('refuses a well-formed file (valid checksum) holding an event no read model can store, writing nothing', async () => {
    const lines = (await exported(source)).split('\n').filter((line) => line !== '');
    const body = lines
      .slice(0, -1)
      .map((line) => (line.includes('"VolumeCreated"') ? line.replace('"sizeGb":1', '"sizeGb":9223372036854775808') : line));
    const digest = new HistoryDigest();
    for (const [i, line] of body.entries()) {
      digest.line(line);
      if (i > 0) digest.countEvent();
    }
    const resealed = [...body, JSON.stringify(digest.trailer())].join('\n');
    const badLine = body.findIndex((line) => line.includes('"VolumeCreated"')) + 1;

    await expect(importHistory(target, linesOf(resealed))).rejects.toThrow(
      `Invalid catalog file (line ${badLine}): VolumeCreated data.sizeGb must be at most 2147483647, not ${2 ** 63}`,
    );
    expect(await target.headPosition()).toBe(0n);
  });

  it('refuses revisions that skip, before writing', async () => {
    const file = (await exported(source)).split('\n');
    const damaged = file.filter((line) => !line.includes('"revision":1,') || !line.includes(`backup-${FULL}`)).join('\n');

    await expect(importHistory(target, linesOf(damaged))).rejects.toThrow(/has revision 2 where 1 was due/);
    expect(await target.headPosition()).toBe(0n);
  });
});
