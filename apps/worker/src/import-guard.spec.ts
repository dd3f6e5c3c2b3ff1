import { Catalog, exportHistory, importHistory } from '@strata/catalog';
import { loadConfig } from '@strata/config';
import { volumeStreamId, type VolumeEvent } from '@strata/domain';
import { openSqliteEventStore, type EventStore, type RecordedEvent } from '@strata/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { seedCatalogHistory } from '../../../bench/catalog-history';
import { BackupRepositories } from './backup-repositories';
import { testDispatcher } from './testing/test-dispatcher';

/** Appends before the import dies: the volumes, then a backup's lock taken and the backup not yet recorded. */
const CUT = 202;

const all = async <T>(items: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

/** The store, whose appends fail once `okAppends` have gone through (the importing process died there). */
const failingAfter = (store: EventStore, okAppends: number): EventStore => {
  let left = okAppends;
  return new Proxy(store, {
    get(target, property, receiver) {
      // Without multi-stream appends (as EventStoreDB), an import appends run by run and can stop between.
      if (property === 'appendToStreams') return undefined;
      if (property !== 'appendToStream') return Reflect.get(target, property, receiver) as unknown;
      return (...args: Parameters<EventStore['appendToStream']>) =>
        left-- <= 0 ? Promise.reject(new Error('the importing process died')) : target.appendToStream(...args);
    },
  });
};

/**
 * A worker over a store holding half of an imported history: the catalog shows backups of that history
 * still `creating` (their completion is in the half not yet appended) and volumes locked by them, which
 * a sweep would otherwise resume or repair, writing into the streams the import has yet to fill.
 */
describe('a worker while a catalog import has not completed', () => {
  let dir: string;
  let file: string;
  let store: EventStore;
  let catalog: Catalog;
  let repositories: BackupRepositories;
  const lines = () => Readable.from(file.split('\n').filter((line, i, every) => line !== '' || i < every.length - 1));

  const worker = () =>
    testDispatcher({ store, catalog, options: loadConfig({ env: { STRATA_STATE_PATH: dir }, cwd: dir }), repositories, dir });
  /** Starts a worker (its first sweep runs before start resolves), lets every job it took finish, stops it. */
  const sweepOnce = async () => {
    const dispatcher = worker();
    await dispatcher.start();
    await dispatcher.idle();
    await dispatcher.stop();
    return dispatcher.counts;
  };
  const caughtUp = async () => catalog.waitForPosition(await store.headPosition(), 60_000);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-import-guard-'));
    const source = openSqliteEventStore(join(dir, 'source.sqlite'));
    await seedCatalogHistory(source, { backups: 120 });
    file = (await all(exportHistory(source, { selection: { all: true }, streams: null, exportedAt: new Date().toISOString() }))).join('');
    await source.close();
  });
  beforeEach(() => {
    store = openSqliteEventStore(join(dir, `store-${Math.random().toString(16).slice(2)}.sqlite`));
    catalog = Catalog.open({ path: ':memory:', store });
    catalog.start();
    repositories = new BackupRepositories(loadConfig({ env: { STRATA_STATE_PATH: dir }, cwd: dir }));
  });
  afterEach(async () => {
    repositories.close();
    await catalog.close();
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const everyRow = { sort: [], limit: 1_000_000, marker: null, offset: 0, scope: { projectId: '', allProjects: true } };

  it('starts no job and writes nothing; the import then completes, and its finished history starts no job', async () => {
    await expect(importHistory(failingAfter(store, CUT), lines)).rejects.toThrow('the importing process died');
    await caughtUp();
    // What a sweep would take for unfinished work (a volume locked by a backup the import has not brought
    // yet, which the stale-lock repair would end as failed): the guard must be what stops it.
    expect(catalog.listVolumes({ ...everyRow, filters: { status: 'backing-up' } }).rows.length).toBeGreaterThan(0);
    expect(catalog.unfinishedImports().size).toBe(1);
    const before = await all(store.readAll());

    expect(await sweepOnce()).toMatchObject({ jobsRun: 0 });
    expect((await all(store.readAll())).length).toBe(before.length);

    const result = await importHistory(store, lines);
    expect(result.alreadyPresent).toBeGreaterThan(0);
    expect(result.appended).toBe(result.events - result.alreadyPresent);
    await caughtUp();
    expect(catalog.unfinishedImports().size).toBe(0);
    const head = await store.headPosition();
    expect(await sweepOnce()).toMatchObject({ jobsRun: 0 });
    expect(await store.headPosition()).toBe(head);
  }, 120_000);

  it('still runs the jobs of live requests meanwhile', async () => {
    await expect(importHistory(failingAfter(store, CUT), lines)).rejects.toThrow('the importing process died');
    const volumeId = 'c0000000-0000-4000-8000-000000000001';
    const created: VolumeEvent = {
      type: 'VolumeCreated',
      data: {
        volumeId,
        projectId: 'project-live',
        userId: 'user-live',
        name: 'live',
        description: null,
        sizeGb: 1,
        availabilityZone: 'nova',
        volumeType: null,
        encryptionKeyId: null,
        metadata: {},
        source: { kind: 'blank' },
        createdAt: new Date().toISOString(),
      },
    };
    await store.appendToStream(volumeStreamId(volumeId), [{ id: 'c1000000-0000-4000-8000-000000000001', ...created }]);
    await caughtUp();

    expect(await sweepOnce()).toMatchObject({ jobsRun: 1 });
    const live: RecordedEvent[] = await all(store.readStream(volumeStreamId(volumeId)));
    expect(live.length).toBeGreaterThan(1);
  }, 120_000);
});
