import { openMemoryEventStore, type MemoryEventStore, type RecordedEvent } from '@strata/event-store';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyBatch } from './apply-batch';
import { CatalogWaitTimeout, ProjectionFailed } from './errors';
import { readCheckpoint, CATALOG_CHECKPOINT } from './projection-checkpoint';
import { ProjectionRunner } from './projection-runner';
import { CATALOG_PROJECTIONS } from './projections';
import type { Projection } from './projections/projection';
import { sqliteProjectionTx } from './projections/sqlite-projection-tx';
import { dumpCatalog } from './rebuild';
import { openCatalogDatabase, type CatalogDatabase } from './schema/catalog-database';
import { getBackup } from './queries/get-backup.query';
import {
  append, availableBackup, backupIdOf, backupRequested, ownScope, volumeCreated, volumeProvisioned,
} from './testing/catalog-fixtures';

const id = backupIdOf(1);
let dir: string;
let db: CatalogDatabase;
let store: MemoryEventStore;
let runner: ProjectionRunner | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-runner-'));
  db = openCatalogDatabase(join(dir, 'catalog.db'));
  store = openMemoryEventStore({ pageSize: 3 });
});
afterEach(async () => {
  await runner?.stop();
  runner = undefined;
  await store.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const startRunner = (projections: readonly Projection[] = CATALOG_PROJECTIONS, batchSize = 500) => {
  runner = new ProjectionRunner(db, store, { projections, batchSize });
  runner.start();
  return runner;
};

const readLog = async (): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for await (const e of store.readAll()) events.push(e);
  return events;
};

/** Throws on one event type, after the real projections have written their rows for it. */
const failingOn = (type: string): Projection => ({
  name: 'boom',
  handles: [type as never],
  apply() { throw new Error('projection bug'); },
});

describe('ProjectionRunner', () => {
  it('catches up with the log from the start, across pages, then follows live appends', async () => {
    await append(store, [volumeCreated(), volumeProvisioned(), ...availableBackup()]);
    const r = startRunner();
    await r.caughtUp();
    expect(r.position()).toBe(7n);
    expect(getBackup(db, id, ownScope)?.status).toBe('available');

    const position = await append(store, [backupRequested({ backupId: backupIdOf(2) })]);
    await r.waitForPosition(position);
    expect(getBackup(db, backupIdOf(2), ownScope)?.status).toBe('creating');
  });

  it('moves the checkpoint past events no projection handles', async () => {
    const r = startRunner();
    const { position } = await store.appendToStream('other-1', [{ id: randomUUID(), type: 'SomethingElse', data: {} }]);
    await r.waitForPosition(position);
    expect(readCheckpoint(db)).toBe(position);
  });

  it('resumes after its stored checkpoint when restarted', async () => {
    await append(store, availableBackup());
    await startRunner().caughtUp();
    await runner!.stop();
    const position = await append(store, [backupRequested({ backupId: backupIdOf(2) })]);
    const again = startRunner();
    await again.waitForPosition(position);
    expect(again.position()).toBe(position);
    expect((db.prepare('SELECT COUNT(*) AS n FROM audit').get() as { n: number }).n).toBe(6);
  });

  it('changes no row when the same batch is applied twice', async () => {
    await append(store, [volumeCreated(), volumeProvisioned(), ...availableBackup()]);
    const batch = { events: await readLog(), upTo: 7n };
    const target = { db, tx: sqliteProjectionTx(db), projections: CATALOG_PROJECTIONS, checkpointName: CATALOG_CHECKPOINT };
    applyBatch(target, 0n, batch);
    const once = dumpCatalog(db);
    // As if the checkpoint had been lost: the projections themselves ignore what they already applied.
    applyBatch(target, 0n, batch);
    expect(dumpCatalog(db)).toEqual(once);
    // And with the checkpoint, the runner skips the redelivery outright.
    expect(applyBatch(target, 7n, batch)).toBe(7n);
    expect(dumpCatalog(db)).toEqual(once);
  });

  it('commits rows and checkpoint together: a failing projection leaves neither advanced', async () => {
    await append(store, availableBackup()); // 1 requested, 2 started, 3-4 chunks, 5 completed
    const r = startRunner([...CATALOG_PROJECTIONS, failingOn('BackupCompleted')]);
    await expect(r.waitForPosition(5n)).rejects.toBeInstanceOf(ProjectionFailed);
    expect(r.failure()).toMatchObject({ projection: 'boom', position: 5n, eventType: 'BackupCompleted' });
    expect(readCheckpoint(db)).toBe(4n);
    expect(getBackup(db, id, ownScope)).toMatchObject({ status: 'creating', objectCount: 2 });
    expect(db.prepare('SELECT MAX(position) AS p FROM audit').get()).toEqual({ p: 4 });
  });

  it('stops at the failing event and never skips it: a fixed runner applies it', async () => {
    await append(store, availableBackup());
    const broken = startRunner([...CATALOG_PROJECTIONS, failingOn('ChunkWritten')], 1);
    await expect(broken.caughtUp()).rejects.toThrow('Projection boom failed on ChunkWritten at position 3: projection bug');
    await broken.stop();
    expect(readCheckpoint(db)).toBe(2n);

    const fixed = startRunner();
    await fixed.waitForPosition(5n);
    expect(getBackup(db, id, ownScope)?.status).toBe('available');
  });

  it('rejects a wait that is not reached in time, naming the position', async () => {
    const r = startRunner();
    await r.caughtUp();
    const wait = r.waitForPosition(99n, 20);
    await expect(wait).rejects.toBeInstanceOf(CatalogWaitTimeout);
    await expect(wait).rejects.toThrow('The catalog did not reach position 99 within 20 ms (it is at 0)');
  });
});
