import { Test } from '@nestjs/testing';
import { EVENT_STORE, EventStoreModule, openSqliteEventStore, type EventStore } from '@strata/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG, type Catalog } from './catalog';
import { CatalogModule } from './catalog.module';
import { append, availableBackup, backupIdOf, ownScope, VOLUME, volumeCreated, volumeProvisioned } from './testing/catalog-fixtures';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-catalog-module-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The app's wiring on real files: the SQLite event store and the catalog beside it. */
const boot = async () => {
  const moduleRef = await Test.createTestingModule({
    imports: [
      EventStoreModule.forRoot({ url: `sqlite:${join(dir, 'events.db')}` }),
      CatalogModule.forRoot({ path: join(dir, 'catalog.db') }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return { app, catalog: app.get<Catalog>(CATALOG), store: app.get<EventStore>(EVENT_STORE) };
};

describe('CatalogModule', () => {
  it('serves read-your-writes: a query right after waitForPosition sees the append', async () => {
    const { app, catalog, store } = await boot();
    try {
      const position = await append(store, [volumeCreated(), volumeProvisioned()]);
      await catalog.waitForPosition(position);
      expect(catalog.getVolume(VOLUME, ownScope)?.status).toBe('available');
    } finally {
      await app.close();
    }
  });

  it('is caught up with everything appended while it was down by the time the app is ready', async () => {
    const first = await boot();
    await first.app.close();
    const offline = openSqliteEventStore(join(dir, 'events.db'));
    const head = await append(offline, availableBackup());
    await offline.close();

    const second = await boot();
    try {
      expect(second.catalog.position()).toBe(head);
      expect(second.catalog.getBackup(backupIdOf(1), ownScope)?.status).toBe('available');
    } finally {
      await second.app.close();
    }
  });
});
