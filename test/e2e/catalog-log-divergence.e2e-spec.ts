import { CATALOG, dumpCatalog, openCatalogDatabase, rebuildCatalog, type Catalog } from '@strata/catalog';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@strata/event-store';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStrata, type RunningStrata } from './support/strata-app';
import { captureLog } from './support/captured-log';

/** A SQLite file with its WAL and shared-memory files: copied and replaced together, or not at all. */
const SQLITE_FILES = (name: string) => [name, `${name}-wal`, `${name}-shm`];

const copyDatabase = (fromDir: string, toDir: string, name: string) => {
  mkdirSync(toDir, { recursive: true });
  for (const file of SQLITE_FILES(name)) {
    rmSync(join(toDir, file), { force: true });
    if (existsSync(join(fromDir, file))) copyFileSync(join(fromDir, file), join(toDir, file));
  }
};

const logged = captureLog();
const warnings = () =>
  logged
    .map((line) => JSON.parse(line) as { level: string; msg: string })
    .filter((l) => l.level === 'warn')
    .map((l) => l.msg);

/**
 * Without the worker only the api appends: at its first start the `__DEFAULT__` volume type (the same
 * event in every store) and its service's registration, then each volume and its quota claim. The
 * positions the warnings name are read from the logs.
 */
const start = (dir: string) => startStrata({ STRATA_RUN_WORKER: 'false', STRATA_LOG_LEVEL: 'warn' }, dir);

const createVolumes = async (strata: RunningStrata, ...names: string[]) => {
  for (const name of names) expect((await strata.client.post('/v3/volumes', { volume: { size: 1, name } })).status).toBe(202);
};
const volumeNames = async (strata: RunningStrata) =>
  ((await strata.client.get('/v3/volumes?all_tenants=True')).body.volumes as { name: string }[]).map((v) => v.name).sort();

const logOf = async (strata: RunningStrata): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for await (const e of strata.app.get<EventStore>(EVENT_STORE).readAll()) events.push(e);
  return events;
};

/** The catalog equals a rebuild from scratch of the log it now follows. */
const expectRebuiltFromLog = async (strata: RunningStrata, dir: string) => {
  const fresh = join(dir, 'fresh.sqlite');
  await rebuildCatalog(strata.app.get<EventStore>(EVENT_STORE), fresh);
  const db = openCatalogDatabase(fresh);
  try {
    expect(dumpCatalog(strata.app.get<Catalog>(CATALOG).db)).toEqual(dumpCatalog(db));
  } finally {
    db.close();
  }
};

describe('a catalog.sqlite beside an events.sqlite that is not its log', () => {
  let dirs: string[];
  let strata: RunningStrata | null;
  const newDir = (label: string) => {
    const dir = mkdtempSync(join(tmpdir(), label));
    dirs.push(dir);
    return dir;
  };
  beforeEach(() => {
    dirs = [];
    strata = null;
    logged.length = 0;
  });
  afterEach(async () => {
    await strata?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('rebuilds the catalog from an older copy of the log at start-up, and a new volume shows (no 404)', async () => {
    const stateDir = newDir('strata-older-log-');
    const aside = newDir('strata-older-log-copy-');
    strata = await start(stateDir);
    await createVolumes(strata, 'before the copy');
    const older = await logOf(strata);
    await strata.close();
    copyDatabase(stateDir, aside, 'events.sqlite');
    strata = await start(stateDir);
    await createVolumes(strata, 'after the copy 1', 'after the copy 2', 'after the copy 3');
    const newer = await logOf(strata);
    await strata.close();

    copyDatabase(aside, stateDir, 'events.sqlite'); // the older log back, beside the newer catalog
    strata = await start(stateDir);

    expect(warnings()).toEqual([
      `The catalog is ahead of its log: the catalog applied event ${newer.at(-1)!.id} at position ${newer.length} (checkpoint ${newer.length}), ` +
        `but the log ends at position ${older.length} (event ${older.at(-1)!.id}); found at start-up, rebuilding the catalog from the log`,
    ]);
    expect(await volumeNames(strata)).toEqual(['before the copy']);
    await expectRebuiltFromLog(strata, aside);

    const created = await strata.client.post('/v3/volumes', { volume: { size: 1, name: 'after the restore' } });
    expect(created.status).toBe(202);
    expect((await strata.client.get(`/v3/volumes/${created.body.volume.id}`)).body.volume).toMatchObject({
      name: 'after the restore',
      status: 'creating',
    });
    expect(await volumeNames(strata)).toEqual(['after the restore', 'before the copy']);
    const head = Number(await strata.app.get<EventStore>(EVENT_STORE).headPosition());
    expect(head).toBeGreaterThan(older.length);
    expect((await strata.client.get('/readyz')).body).toMatchObject({ status: 'ready', catalog: { position: head, lagEvents: 0 } });
  }, 60_000);

  it('rebuilds the catalog from a log as long as its own that holds other events (another store)', async () => {
    const stateDir = newDir('strata-other-log-');
    const otherDir = newDir('strata-other-log-source-');
    strata = await start(otherDir);
    await createVolumes(strata, 'other 1', 'other 2');
    const other = await logOf(strata);
    await strata.close();
    strata = await start(stateDir);
    await createVolumes(strata, 'own 1', 'own 2');
    const own = await logOf(strata);
    await strata.close();

    copyDatabase(otherDir, stateDir, 'events.sqlite');
    strata = await start(stateDir);

    expect(warnings()).toEqual([
      `The catalog does not match its log: the catalog applied event ${own.at(-1)!.id} at position ${own.length} (checkpoint ${own.length}), ` +
        `but the log holds event ${other[own.length - 1]!.id} at that position (head ${other.length}); found at start-up, rebuilding the catalog from the log`,
    ]);
    expect(await volumeNames(strata)).toEqual(['other 1', 'other 2']);
    await expectRebuiltFromLog(strata, otherDir);
    expect((await strata.client.post('/v3/volumes', { volume: { size: 1, name: 'other 3' } })).status).toBe(202);
    expect(await volumeNames(strata)).toEqual(['other 1', 'other 2', 'other 3']);
  }, 60_000);

  it('starts without a rebuild, and without a warning, on its own log', async () => {
    const stateDir = newDir('strata-own-log-');
    strata = await start(stateDir);
    await createVolumes(strata, 'one');
    await strata.close();

    strata = await start(stateDir);

    expect(warnings()).toEqual([]);
    expect(await volumeNames(strata)).toEqual(['one']);
  }, 60_000);
});
