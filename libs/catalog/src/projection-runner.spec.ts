import { openMemoryEventStore, type MemoryEventStore, type RecordedEvent } from '@strata/event-store';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyBatch } from './apply-batch';
import { CatalogWaitTimeout } from './errors';
import { readAppliedEvent, readCheckpoint, CATALOG_CHECKPOINT } from './projection-checkpoint';
import { ProjectionRunner } from './projection-runner';
import { CATALOG_PROJECTIONS } from './projections';
import type { Projection } from './projections/projection';
import { sqliteProjectionTx } from './projections/sqlite-projection-tx';
import { dumpCatalog } from './rebuild';
import { openCatalogDatabase, type CatalogDatabase } from './schema/catalog-database';
import { getBackup } from './queries/get-backup.query';
import { getVolume } from './queries/get-volume.query';
import { projectionFailures } from './queries/projection-failures.query';
import {
  append,
  at,
  availableBackup,
  backupIdOf,
  backupRequested,
  event,
  ownScope,
  VOLUME,
  volumeCreated,
  volumeProvisioned,
} from './testing/catalog-fixtures';

const id = backupIdOf(1);
const OTHER_VOLUME = 'a0000000-0000-4000-8000-000000000002';
const PARKED_AT = at(60);
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
  runner = new ProjectionRunner(db, store, { projections, batchSize, now: () => new Date(PARKED_AT) });
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
  apply() {
    throw new Error('projection bug');
  },
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
    db.prepare('DELETE FROM projection_checkpoints').run();
    applyBatch(target, 0n, batch);
    expect(dumpCatalog(db)).toEqual(once);
    // And with the checkpoint, the runner skips the redelivery outright.
    expect(applyBatch(target, 7n, batch)).toBe(7n);
    expect(dumpCatalog(db)).toEqual(once);
  });

  it('applies nothing twice when another writer of the same file is ahead of it: a withdrawn lock-only backup stays withdrawn', async () => {
    // Two processes given one catalog path each run a runner on the file. Re-applied after its end, a
    // lock's start would bring back the row the end removed (the lock-only row has no stream to guard it).
    const lock = event('VolumeBackupStarted', {
      volumeId: VOLUME,
      backupId: id,
      previousStatus: 'available',
      startedAt: at(10),
      backup: backupRequested().data,
    });
    const withdrawn = event('VolumeBackupEnded', {
      volumeId: VOLUME,
      backupId: id,
      outcome: 'cancelled',
      status: 'available',
      endedAt: at(10),
    });
    await append(store, [volumeCreated(), volumeProvisioned(), lock, withdrawn]);
    const log = await readLog();
    const other = openCatalogDatabase(join(dir, 'catalog.db'));
    try {
      const ahead = { db: other, tx: sqliteProjectionTx(other), projections: CATALOG_PROJECTIONS, checkpointName: CATALOG_CHECKPOINT };
      applyBatch(ahead, 0n, { events: log, upTo: 4n });

      const behind = { db, tx: sqliteProjectionTx(db), projections: CATALOG_PROJECTIONS, checkpointName: CATALOG_CHECKPOINT };
      applyBatch(behind, 0n, { events: log.slice(0, 3), upTo: 3n });

      expect(getBackup(db, id, ownScope)).toBeNull();
      expect(readCheckpoint(db)).toBe(4n);
      expect(db.prepare('SELECT COUNT(*) AS n FROM audit').get()).toEqual({ n: 4 });
    } finally {
      other.close();
    }
  });

  it('parks an event no projection can apply and goes on: the other rows, the failure row, the checkpoint past it', async () => {
    // 2**63 fits no SQLite INTEGER: the volumes projection cannot store it.
    await append(store, [volumeCreated({ volumeId: OTHER_VOLUME, sizeGb: 2 ** 63 }), volumeCreated(), volumeProvisioned()]);
    const r = startRunner();
    await r.caughtUp();
    const [hostile] = await readLog();

    expect(r.failure()).toBeNull();
    expect(readCheckpoint(db)).toBe(3n);
    expect(getVolume(db, VOLUME, ownScope)?.status).toBe('available');
    expect(getVolume(db, OTHER_VOLUME, ownScope)).toBeNull();
    expect(db.prepare('SELECT position FROM audit ORDER BY position').all()).toEqual([{ position: 2 }, { position: 3 }]);
    expect(projectionFailures(db)).toEqual([
      {
        position: 1n,
        eventId: hostile!.id,
        streamId: `volume-${OTHER_VOLUME}`,
        type: 'VolumeCreated',
        projection: 'volumes',
        error: 'cannot store REAL value in INTEGER column volumes.size',
        parkedAt: PARKED_AT,
      },
    ]);
  });

  it("applies none of a parked event's effects, even those of the projections before the failing one", async () => {
    await append(store, availableBackup()); // 1 requested, 2 started, 3-4 chunks, 5 completed
    const r = startRunner([...CATALOG_PROJECTIONS, failingOn('BackupCompleted')]);
    await r.waitForPosition(5n);
    expect(getBackup(db, id, ownScope)).toMatchObject({ status: 'creating', objectCount: 2 });
    expect(db.prepare('SELECT MAX(position) AS p FROM audit').get()).toEqual({ p: 4 });
    expect(projectionFailures(db)).toMatchObject([{ position: 5n, type: 'BackupCompleted', projection: 'boom', error: 'projection bug' }]);
  });

  it('parks each failing event of a batch and applies the events between them', async () => {
    await append(store, [...availableBackup(), ...availableBackup({ backupId: backupIdOf(2) })]);
    const r = startRunner([...CATALOG_PROJECTIONS, failingOn('ChunkWritten')]);
    await r.waitForPosition(10n);
    expect(projectionFailures(db).map((f) => f.position)).toEqual([3n, 4n, 8n, 9n]);
    expect(getBackup(db, id, ownScope)).toMatchObject({ status: 'available', objectCount: 2 });
    expect(getBackup(db, backupIdOf(2), ownScope)).toMatchObject({ status: 'available', objectCount: 2 });
    expect((db.prepare('SELECT COUNT(*) AS n FROM audit').get() as { n: number }).n).toBe(6);
  });

  it('changes nothing when a batch with a parked event is applied twice', async () => {
    await append(store, [volumeCreated(), volumeCreated({ volumeId: OTHER_VOLUME, sizeGb: 2 ** 63 }), volumeProvisioned()]);
    const batch = { events: await readLog(), upTo: 3n };
    const target = {
      db,
      tx: sqliteProjectionTx(db),
      projections: CATALOG_PROJECTIONS,
      checkpointName: CATALOG_CHECKPOINT,
      now: () => new Date(PARKED_AT),
    };
    expect(applyBatch(target, 0n, batch)).toBe(3n);
    const once = dumpCatalog(db);
    expect(once.projection_failures).toHaveLength(1);

    expect(applyBatch({ ...target, now: () => new Date(at(99)) }, 0n, batch)).toBe(3n);
    expect(dumpCatalog(db)).toEqual(once);
  });

  it('records the position and id of the last event it applied with its checkpoint', async () => {
    await append(store, [volumeCreated(), volumeProvisioned()]);
    await startRunner().caughtUp();
    const [, last] = await readLog();
    expect(readAppliedEvent(db)).toEqual({ position: 2n, id: last!.id });
  });

  it('stops, without parking, when SQLite fails for the file rather than the event', async () => {
    await append(store, availableBackup());
    const diskFull: Projection = {
      name: 'disk',
      handles: ['ChunkWritten'],
      apply() {
        throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
      },
    };
    const broken = startRunner([...CATALOG_PROJECTIONS, diskFull], 1);
    await expect(broken.caughtUp()).rejects.toThrow('Projection disk failed on ChunkWritten at position 3: database or disk is full');
    await broken.stop();
    expect(readCheckpoint(db)).toBe(2n);
    expect(projectionFailures(db)).toEqual([]);

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

describe('ProjectionRunner replaying a long log', () => {
  it('gives the event loop a turn between batches, so requests keep being answered while it catches up', async () => {
    await append(store, [
      volumeCreated(),
      ...Array.from({ length: 3000 }, (_, i) => ({
        type: 'VolumeUpdated' as const,
        data: { volumeId: VOLUME, name: `v-${i}`, updatedAt: at(2) },
      })),
    ]);
    let turns = 0;
    let counting = true;
    const tick = () => {
      if (!counting) return;
      turns += 1;
      setImmediate(tick);
    };
    setImmediate(tick);

    await startRunner(CATALOG_PROJECTIONS, 100).caughtUp();
    counting = false;

    expect(turns).toBeGreaterThan(1);
  });
});

describe('ProjectionRunner.buildTo: a build from a known end reads the log, without a subscription', () => {
  const buildRunner = (projections: readonly Projection[] = CATALOG_PROJECTIONS, batchSize = 2) =>
    (runner = new ProjectionRunner(db, store, { projections, batchSize, now: () => new Date(PARKED_AT) }));

  it('applies the log up to the position, across batches, and no further', async () => {
    await append(store, [volumeCreated(), volumeProvisioned(), ...availableBackup()]); // 1-2 volume, 3-7 backup
    const subscribe = jest.spyOn(store, 'subscribeToAll');
    const r = buildRunner();
    await r.buildTo(6n, 1000);
    expect(r.position()).toBe(6n);
    expect(readCheckpoint(db)).toBe(6n);
    expect(getBackup(db, id, ownScope)).toMatchObject({ status: 'creating', objectCount: 2 });
    expect(subscribe).not.toHaveBeenCalled();
  });

  it('writes the same catalog as a runner following the log', async () => {
    await append(store, [volumeCreated(), volumeProvisioned(), ...availableBackup(), ...availableBackup({ backupId: backupIdOf(2) })]);
    await buildRunner().buildTo(12n, 1000);
    const built = dumpCatalog(db);
    db.close();
    db = openCatalogDatabase(join(dir, 'followed.db'));
    await startRunner().waitForPosition(12n);
    expect(dumpCatalog(db)).toEqual(built);
  });

  it('parks an event it cannot apply and goes on, as a following runner does', async () => {
    await append(store, [...availableBackup(), ...availableBackup({ backupId: backupIdOf(2) })]);
    const parked: bigint[] = [];
    runner = new ProjectionRunner(db, store, {
      projections: [...CATALOG_PROJECTIONS, failingOn('ChunkWritten')],
      batchSize: 4,
      onParked: (failure) => parked.push(failure.position),
    });
    await runner.buildTo(10n, 1000);
    expect(parked).toEqual([3n, 4n, 8n, 9n]);
    expect(projectionFailures(db).map((f) => f.position)).toEqual([3n, 4n, 8n, 9n]);
    expect(getBackup(db, backupIdOf(2), ownScope)).toMatchObject({ status: 'available' });
  });

  it('follows the log for the rest when the position is past what it holds, until it is appended or the time is up', async () => {
    await append(store, availableBackup());
    const r = buildRunner();
    const built = r.buildTo(6n, 5000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(r.position()).toBe(5n);
    await append(store, [backupRequested({ backupId: backupIdOf(2) })]);
    await built;
    expect(r.position()).toBe(6n);
    await r.stop();

    await expect(buildRunner().buildTo(9n, 50)).rejects.toBeInstanceOf(CatalogWaitTimeout);
  });

  it('stops after the batch in hand when stopped, and gives the event loop a turn between batches', async () => {
    await append(store, [
      volumeCreated(),
      ...Array.from({ length: 300 }, (_, i) => ({
        type: 'VolumeUpdated' as const,
        data: { volumeId: VOLUME, name: `v-${i}`, updatedAt: at(2) },
      })),
    ]);
    const r = buildRunner(CATALOG_PROJECTIONS, 10);
    const built = r.buildTo(301n, 1000);
    await new Promise((resolve) => setImmediate(resolve));
    await r.stop();
    await built;
    expect(r.position() % 10n).toBe(0n);
    expect(r.position()).toBeLessThan(301n);
  });
});
