import type { Catalog } from '@strata/catalog';
import {
  append,
  at,
  availableBackup,
  backupIdOf,
  backupRequested,
  backupStarted,
  event,
  meta,
  VOLUME,
  volumeCreated,
  volumeProvisioned,
} from '@strata/catalog/testing/catalog-fixtures';
import { loadConfig, type StrataOptions } from '@strata/config';
import { backupStreamId, volumeStreamId } from '@strata/domain';
import { openMemoryEventStore, type EventStore } from '@strata/event-store';
import { Killed } from '@strata/workflows/testing/killable-recorder';
import { killableStore } from '@strata/workflows/testing/killable-store';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupRepositories } from '../backup-repositories';
import type { JobCause } from '../job-recorder';
import type { BackupJobDeps } from './backup-job';
import { runBackupDeletionJob } from './backup-deletion-job';

const backupId = backupIdOf(1);
const cause: JobCause = { eventId: 'trigger', meta: meta() };

/**
 * The deletion of a backup still `creating` spans two streams: the backup (cancelled, then deleted) and
 * the volume it locked (given back). A worker killed between two of those steps leaves the log holding
 * the steps before the kill; the job, run again on that log, finishes with each step recorded once.
 */
describe('runBackupDeletionJob: a backup deleted while creating, killed between two steps', () => {
  let store: EventStore;
  let deps: BackupJobDeps;
  const typesOf = async (streamId: string) => {
    const types: string[] = [];
    for await (const e of store.readStream(streamId)) types.push(e.type);
    return types;
  };

  beforeEach(async () => {
    store = openMemoryEventStore();
    // The backup has no objects yet (no BackupStarted): nothing in a repository to remove.
    deps = {
      store,
      catalog: {} as Catalog,
      repositories: {} as BackupRepositories,
      options: {} as StrataOptions,
      now: () => new Date(at(40)),
    };
    await append(store, [
      volumeCreated(),
      volumeProvisioned(),
      event('VolumeBackupStarted', { volumeId: VOLUME, backupId, previousStatus: 'available', startedAt: at(10) }),
      backupRequested(),
      event('BackupDeletionRequested', { backupId, force: true, previousStatus: 'creating', requestedAt: at(20) }),
    ]);
  });
  afterEach(() => store.close());

  it('cancels the backup, gives the lock back, then records the deletion', async () => {
    await runBackupDeletionJob(deps, cause, backupId);

    expect(await typesOf(backupStreamId(backupId))).toEqual([
      'BackupRequested',
      'BackupDeletionRequested',
      'BackupCancelled',
      'BackupDeleted',
    ]);
    expect((await typesOf(volumeStreamId(VOLUME))).at(-1)).toBe('VolumeBackupEnded');
  });

  it('killed after the cancellation (or the backup job recorded it): the lock is given back and the deletion recorded, nothing twice', async () => {
    await append(store, [event('BackupCancelled', { backupId, cancelledAt: at(21) })]);

    await runBackupDeletionJob(deps, cause, backupId);

    expect(await typesOf(backupStreamId(backupId))).toEqual([
      'BackupRequested',
      'BackupDeletionRequested',
      'BackupCancelled',
      'BackupDeleted',
    ]);
    expect((await typesOf(volumeStreamId(VOLUME))).filter((t) => t === 'VolumeBackupEnded')).toHaveLength(1);
  });

  it('killed after giving the lock back: only the deletion is recorded', async () => {
    await append(store, [
      event('BackupCancelled', { backupId, cancelledAt: at(21) }),
      event('VolumeBackupEnded', { volumeId: VOLUME, backupId, outcome: 'cancelled', status: 'available', endedAt: at(21) }),
    ]);

    await runBackupDeletionJob(deps, cause, backupId);

    expect(await typesOf(backupStreamId(backupId))).toEqual([
      'BackupRequested',
      'BackupDeletionRequested',
      'BackupCancelled',
      'BackupDeleted',
    ]);
    expect((await typesOf(volumeStreamId(VOLUME))).filter((t) => t === 'VolumeBackupEnded')).toHaveLength(1);
  });

  it('run again after it finished (a redelivered trigger): records nothing', async () => {
    await runBackupDeletionJob(deps, cause, backupId);
    const [backup, volume] = [await typesOf(backupStreamId(backupId)), await typesOf(volumeStreamId(VOLUME))];

    await runBackupDeletionJob(deps, cause, backupId);

    expect(await typesOf(backupStreamId(backupId))).toEqual(backup);
    expect(await typesOf(volumeStreamId(VOLUME))).toEqual(volume);
  });
});

/**
 * The deletion of an available backup: its objects removed from the repository, then BackupDeleted. A
 * worker killed between the two (or halfway through the objects) leaves a backup `deleting` whose
 * objects are partly or wholly gone; the job run again (the sweep resumes every `deleting` backup)
 * finds nothing or less to remove, which is no error, and records the deletion once.
 */
describe('runBackupDeletionJob: an available backup in a POSIX repository, killed between removing its objects and BackupDeleted', () => {
  const { container, objectPrefix } = backupStarted(backupId).data;
  const objects = [`${objectPrefix}-00001`, `${objectPrefix}-00002`, `${objectPrefix}_sha256file`, `${objectPrefix}_metadata`];
  /** Another backup's object in the same directory: the deletion goes by prefix and leaves it. */
  const neighbour = `volume_${VOLUME}_backup_${backupIdOf(9)}-00001`;
  let dir: string;
  let store: EventStore;
  let deps: BackupJobDeps;
  let repositories: BackupRepositories;
  const containerDir = () => join(dir, 'backup', container);
  const typesOf = async (streamId: string) => {
    const types: string[] = [];
    for await (const e of store.readStream(streamId)) types.push(e.type);
    return types;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-deletion-job-'));
    const options = loadConfig({ env: { STRATA_STATE_PATH: dir }, cwd: dir });
    repositories = new BackupRepositories(options);
    store = openMemoryEventStore();
    deps = { store, catalog: {} as Catalog, repositories, options, now: () => new Date(at(40)) };
    mkdirSync(containerDir(), { recursive: true });
    for (const name of [...objects, neighbour]) writeFileSync(join(containerDir(), name), name);
    await append(store, [
      ...availableBackup({ backupId }),
      event('BackupDeletionRequested', { backupId, force: false, previousStatus: 'available', requestedAt: at(20) }),
    ]);
  });
  afterEach(async () => {
    repositories.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const deletionSteps = [
    'BackupRequested',
    'BackupStarted',
    'ChunkWritten',
    'ChunkWritten',
    'BackupCompleted',
    'BackupDeletionRequested',
    'BackupDeleted',
  ];

  it('removes every object under its prefix, then records the deletion', async () => {
    await runBackupDeletionJob(deps, cause, backupId);

    expect(readdirSync(containerDir())).toEqual([neighbour]);
    expect(await typesOf(backupStreamId(backupId))).toEqual(deletionSteps);
  });

  it('killed after removing the objects, before BackupDeleted: run again, it removes nothing and records the deletion once', async () => {
    const killed = killableStore(store, { before: 'BackupDeleted' });
    await expect(runBackupDeletionJob({ ...deps, store: killed }, cause, backupId)).rejects.toThrow(Killed);
    expect(readdirSync(containerDir())).toEqual([neighbour]);
    expect((await typesOf(backupStreamId(backupId))).at(-1)).toBe('BackupDeletionRequested');

    await runBackupDeletionJob(deps, cause, backupId);

    expect(await typesOf(backupStreamId(backupId))).toEqual(deletionSteps);
    expect(readdirSync(containerDir())).toEqual([neighbour]);
  });

  it('killed halfway through the objects: run again, it removes the rest and records the deletion once', async () => {
    // What a kill between two unlinks leaves: the first objects gone, the others still there.
    for (const name of objects.slice(0, 2)) rmSync(join(containerDir(), name));

    await runBackupDeletionJob(deps, cause, backupId);

    expect(readdirSync(containerDir())).toEqual([neighbour]);
    expect(await typesOf(backupStreamId(backupId))).toEqual(deletionSteps);
  });

  it('finds not even their directory (removed by hand): no error, the deletion recorded once', async () => {
    rmSync(containerDir(), { recursive: true });

    await runBackupDeletionJob(deps, cause, backupId);

    expect(await typesOf(backupStreamId(backupId))).toEqual(deletionSteps);
  });

  it('run again after BackupDeleted (a redelivered trigger): removes and records nothing', async () => {
    await runBackupDeletionJob(deps, cause, backupId);
    writeFileSync(join(containerDir(), objects[0]!), 'written since by hand');

    await runBackupDeletionJob(deps, cause, backupId);

    expect(await typesOf(backupStreamId(backupId))).toEqual(deletionSteps);
    expect(readdirSync(containerDir()).sort()).toEqual([neighbour, objects[0]].sort());
  });
});
