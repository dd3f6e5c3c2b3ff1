import { Catalog } from '@strata/catalog';
import { loadConfig } from '@strata/config';
import { openSqliteEventStore, type EventStore } from '@strata/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupRepositories } from './backup-repositories';
import type { JobPool } from './job-pool';
import { testDispatcher } from './testing/test-dispatcher';

describe('a worker as it starts', () => {
  let dir: string;
  let store: EventStore;
  let catalog: Catalog;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-dispatcher-'));
    store = openSqliteEventStore(join(dir, 'events.sqlite'));
    catalog = Catalog.open({ path: ':memory:', store });
    catalog.start();
  });
  afterEach(async () => {
    await catalog.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const dispatcherWithPool = () => {
    const options = loadConfig({ env: { STRATA_STATE_PATH: dir }, cwd: dir });
    const repositories = new BackupRepositories(options);
    const pool = { get: jest.fn(), close: jest.fn(async () => undefined) };
    const dispatcher = testDispatcher({ store, catalog, options, repositories, dir, pool: pool as unknown as JobPool });
    return { dispatcher, pool };
  };

  it('starts the job pool every job uses before it takes one, and closes it as it stops', async () => {
    const { dispatcher, pool } = dispatcherWithPool();

    await dispatcher.start();

    expect(pool.get).toHaveBeenCalledTimes(1);
    expect(dispatcher.counts).toMatchObject({ jobsRun: 0 });
    await dispatcher.stop();
    expect(pool.close).toHaveBeenCalledTimes(1);
  });
});
