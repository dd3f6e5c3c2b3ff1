import { Catalog } from '@strata/catalog';
import { loadConfig } from '@strata/config';
import { quotaStreamId } from '@strata/domain';
import { openSqliteEventStore, type EventStore } from '@strata/event-store';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupRepositories } from './backup-repositories';
import type { JobPool } from './job-pool';
import { QuotaSettler } from './quota/quota-settler';
import { testDispatcher } from './testing/test-dispatcher';

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
  jest.restoreAllMocks();
  await catalog.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a worker as it starts', () => {
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

describe('a worker settling quota claims', () => {
  /** A claim of one backup in a project: a trigger for the settler. */
  const reserve = (n: number) =>
    store.appendToStream(quotaStreamId('project-1'), [
      {
        id: randomUUID(),
        type: 'QuotaReserved',
        data: {
          projectId: 'project-1',
          claimId: `claim-${n}`,
          subject: { kind: 'backup', id: randomUUID() },
          amounts: { backups: 1, backup_gigabytes: 1 },
          reservedAt: new Date().toISOString(),
        },
        metadata: {},
      },
    ]);

  const eventually = async (holds: () => boolean, what: string) => {
    for (let waited = 0; !holds(); waited += 10) {
      if (waited > 10_000) throw new Error(`not within 10 s: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it('waits for its catalog once for a burst of triggers ahead of it, then once for the newest, and settles after each', async () => {
    const options = loadConfig({ env: { STRATA_STATE_PATH: dir }, cwd: dir });
    const dispatcher = testDispatcher({ store, catalog, options, repositories: new BackupRepositories(options), dir });
    await dispatcher.start();
    const waits = jest.spyOn(catalog, 'waitForPosition');
    const settlements = jest.spyOn(QuotaSettler.prototype, 'request');
    // Given a catalog that applies nothing for now, and 50 claims recorded meanwhile
    await catalog.stop();
    const positions: bigint[] = [];
    for (let n = 1; n <= 50; n++) positions.push((await reserve(n)).position);
    const newest = positions[positions.length - 1]!;
    const seen = dispatcher as unknown as { settleAfter: bigint | null };
    await eventually(() => seen.settleAfter === newest, 'the dispatcher has seen every trigger');

    // Then it holds one wait, for the first, not one per trigger
    expect(waits.mock.calls.map(([position]) => position)).toEqual([positions[0]]);
    expect(settlements).not.toHaveBeenCalled();

    // When the catalog applies them, it settles, then waits for the newest once and settles again
    catalog.start();
    await eventually(() => settlements.mock.calls.length === 2 && seen.settleAfter === null, 'two settlements');
    expect(waits.mock.calls.map(([position]) => position)).toEqual([positions[0], newest]);
    await dispatcher.stop();
  });
});
