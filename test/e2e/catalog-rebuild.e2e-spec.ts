import { CATALOG, dumpCatalog, openCatalogDatabase, rebuildCatalog, type Catalog, type CatalogDump } from '@strata/catalog';
import { EVENT_STORE, openSqliteEventStore, type EventStore } from '@strata/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { seedCatalogHistory, type SeededHistory } from '../../bench/catalog-history';
import { strataCli } from './support/strata-cli';
import { startStrata, type RunningStrata } from './support/strata-app';

/** Node's comparison first (jest's is slow on 10^5 rows); jest's only to print the difference. */
const expectSameDump = (actual: CatalogDump, expected: CatalogDump) => {
  if (!isDeepStrictEqual(actual, expected)) expect(actual).toEqual(expected);
};

/**
 * Losing the read database: a log of 10,000 backups (written straight into the event store with the
 * domain's events), the api booted on it without a worker, and its catalog rebuilt over HTTP.
 */
describe('POST /strata/v1/catalog/rebuild on a catalog of 10,000 backups', () => {
  let dir: string;
  let strata: RunningStrata;
  let seeded: SeededHistory;
  let catalog: Catalog;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-rebuild-e2e-'));
    const store = openSqliteEventStore(join(dir, 'events.sqlite'), { synchronous: 'NORMAL' });
    seeded = await seedCatalogHistory(store, { backups: 10_000 });
    await store.close();
    strata = await startStrata({ STRATA_RUN_WORKER: 'false' }, dir);
    catalog = strata.app.get<Catalog>(CATALOG);
    // The head, not the seeded head: the api records events of its own at its first start.
    await catalog.waitForPosition(await strata.app.get<EventStore>(EVENT_STORE).headPosition(), 60_000);
  }, 120_000);
  afterAll(async () => {
    await strata?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops every read model and replays the log into identical rows', async () => {
    const before = dumpCatalog(catalog.db);
    expect(before.backups).toHaveLength(10_000);
    expect(new Set(before.backups.map((b) => b.status))).toEqual(new Set(['available', 'error', 'deleted']));
    expect(before.backups.filter((b) => b.parent_id !== null).length).toBeGreaterThan(5_000);
    // The seeded events, and what the api recorded when it first started on them: the __DEFAULT__ volume
    // type and the registration of its cinder-volume service.
    expect(before.audit.slice(seeded.events).map((a) => a.type)).toEqual(['VolumeTypeCreated', 'ServiceRegistered']);
    // The read database "lost": rows that no longer match the log.
    catalog.db.exec("UPDATE backups SET status = 'corrupted'; DELETE FROM backup_children; DELETE FROM volumes");

    const res = await strata.client.post('/strata/v1/catalog/rebuild', {});

    expect(res.status).toBe(200);
    expect(res.body.rebuild.position).toBe(Number(await strata.app.get<EventStore>(EVENT_STORE).headPosition()));
    expectSameDump(dumpCatalog(catalog.db), before);
  }, 120_000);
});

/** The same route on a smaller log, for what happens around a rebuild. */
describe('POST /strata/v1/catalog/rebuild while the service runs', () => {
  let dir: string;
  let strata: RunningStrata;
  let catalog: Catalog;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-rebuild-live-'));
    const store = openSqliteEventStore(join(dir, 'events.sqlite'), { synchronous: 'NORMAL' });
    const { head } = await seedCatalogHistory(store, { backups: 1_500, seed: 11 });
    await store.close();
    strata = await startStrata({ STRATA_RUN_WORKER: 'false' }, dir);
    catalog = strata.app.get<Catalog>(CATALOG);
    await catalog.waitForPosition(head, 60_000);
  }, 120_000);
  afterAll(async () => {
    await strata?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps answering and accepting writes while it rebuilds, then matches a rebuild from scratch', async () => {
    const [backup] = (await strata.client.get('/v3/backups/detail?all_tenants=True&limit=1&status=available')).body.backups;
    const rebuilding = strata.client.post('/strata/v1/catalog/rebuild', {});
    const during = await strata.client.get('/v3/backups/detail?all_tenants=True&limit=1000');
    const renamed = await strata.client.put(
      `/v3/backups/${backup.id}`,
      { backup: { name: 'renamed during rebuild' } },
      { 'OpenStack-API-Version': 'volume 3.9' },
    );
    expect((await rebuilding).status).toBe(200);

    expect(during.body.backups).toHaveLength(1000);
    expect(renamed).toMatchObject({ status: 200, body: { backup: { id: backup.id, name: 'renamed during rebuild' } } });
    expect((await strata.client.get(`/v3/backups/${backup.id}`)).body.backup.name).toBe('renamed during rebuild');
    const store = strata.app.get<EventStore>(EVENT_STORE);
    await catalog.waitForPosition(await store.headPosition());
    const fresh = join(dir, 'fresh.sqlite');
    await rebuildCatalog(store, fresh);
    const db = openCatalogDatabase(fresh);
    try {
      expectSameDump(dumpCatalog(catalog.db), dumpCatalog(db));
    } finally {
      db.close();
    }
  }, 60_000);

  it('runs from `strata catalog rebuild`', async () => {
    const res = await strataCli(strata, 'admin:admin', '--json', 'catalog', 'rebuild');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ position: Number(await strata.app.get<EventStore>(EVENT_STORE).headPosition()) });
  }, 60_000);
});
