import type { Catalog } from '@strata/catalog';
import {
  append,
  at,
  backupIdOf,
  backupRequested,
  event,
  meta,
  VOLUME,
  volumeCreated,
  volumeProvisioned,
} from '@strata/catalog/testing/catalog-fixtures';
import type { StrataOptions } from '@strata/config';
import { backupStreamId, volumeStreamId } from '@strata/domain';
import { openMemoryEventStore, type EventStore } from '@strata/event-store';
import type { BackupRepositories } from '../backup-repositories';
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
