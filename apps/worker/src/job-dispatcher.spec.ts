import { Catalog } from '@strata/catalog';
import { loadConfig } from '@strata/config';
import { openSqliteEventStore, type EventStore } from '@strata/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PosixRepository } from '@strata/chunked-driver';
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

  const dispatcherWith = (env: Record<string, string>) => {
    const options = loadConfig({ env: { STRATA_STATE_PATH: dir, ...env }, cwd: dir });
    const repositories = new BackupRepositories(options);
    const warmUp = jest.spyOn(repositories, 'warmUp').mockImplementation(() => undefined); // no real threads here
    const pool = { get: jest.fn(), close: jest.fn(async () => undefined) };
    const dispatcher = testDispatcher({ store, catalog, options, repositories, dir, pool: pool as unknown as JobPool });
    return { dispatcher, pool, warmUp };
  };

  it('starts the threads every job uses before it takes one, and closes them as it stops', async () => {
    const { dispatcher, pool, warmUp } = dispatcherWith({});

    await dispatcher.start();

    expect(pool.get).toHaveBeenCalledTimes(1);
    expect(warmUp).toHaveBeenCalledTimes(1);
    expect(dispatcher.counts).toMatchObject({ jobsRun: 0 });
    await dispatcher.stop();
    expect(pool.close).toHaveBeenCalledTimes(1);
  });
});

describe('BackupRepositories.warmUp', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-warmup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['posix', {}, true],
    [
      'swift',
      {
        STRATA_BACKUP_DRIVER: 'cinder.backup.drivers.swift.SwiftBackupDriver',
        STRATA_BACKUP_SWIFT_AUTH_URL: 'http://127.0.0.1:8080/auth/v1.0',
        STRATA_BACKUP_SWIFT_USER: 'test:tester',
        STRATA_BACKUP_SWIFT_KEY: 'testing',
      },
      false,
    ],
    // The writer threads are the process's; starting them mounts no share.
    ['nfs', { STRATA_BACKUP_DRIVER: 'cinder.backup.drivers.nfs.NFSBackupDriver', STRATA_BACKUP_SHARE: 'filer:/export' }, true],
  ])('warms the POSIX writer threads when %s is the default: %s', (_kind, env: Record<string, string>, warmed) => {
    const repositories = new BackupRepositories(loadConfig({ env: { STRATA_STATE_PATH: dir, ...env }, cwd: dir }));
    const warmUp = jest.spyOn(PosixRepository, 'warmUp').mockImplementation(() => undefined);

    repositories.warmUp();

    expect(warmUp).toHaveBeenCalledTimes(warmed ? 1 : 0);
    warmUp.mockRestore();
  });
});
