import {
  at,
  backupCompleted,
  backupIdOf,
  backupRequested,
  backupStarted,
  event,
  meta,
  openTestCatalog,
  snapshotCreated,
  VOLUME,
  volumeCreated,
  volumeProvisioned,
  type TestCatalog,
} from '@strata/catalog/testing/catalog-fixtures';
import { loadConfig } from '@strata/config';
import { backupDecider, backupStreamId, jobLeaseDecider, jobLeaseStreamId, snapshotStreamId, volumeStreamId } from '@strata/domain';
import { decideAndAppend } from '@strata/event-store';
import { requestRestore } from '@strata/workflows';
import { Killed } from '@strata/workflows/testing/killable-recorder';
import { killableStore } from '@strata/workflows/testing/killable-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupRepositories } from './backup-repositories';
import { runBackupJob } from './backup/backup-job';
import { JobRecorder, type JobCause } from './job-recorder';
import { repairStaleLocks } from './startup-repair';

const backupId = backupIdOf(1);
const cause: JobCause = { eventId: 'sweep', meta: meta() };

/**
 * A backup or restore job ends with two steps on two streams: its outcome on the backup, then the lock
 * given back on the volume. A worker killed between the two leaves a lock that no job will end, since
 * the backup is no longer `creating` or `restoring`; the sweep ends it with the outcome the backup
 * records, at once (no job lease is held), and leaves alone a lock whose work can still resume.
 */
describe('repairStaleLocks: a job killed between its outcome and giving the lock back', () => {
  let t: TestCatalog;
  const repair = async () => {
    const repaired = await repairStaleLocks({ store: t.store, catalog: t.catalog, now: () => new Date(at(60)) }, cause);
    await t.catalog.waitForPosition(await t.store.headPosition());
    return repaired;
  };
  const lastOnVolume = async () => {
    const events: { type: string; data: unknown }[] = [];
    for await (const e of t.store.readStream(volumeStreamId(VOLUME))) events.push({ type: e.type, data: e.data });
    return events.at(-1);
  };
  const volumeStatus = () => t.catalog.getVolume(VOLUME, { projectId: '', allProjects: true })?.status;

  beforeEach(async () => {
    t = openTestCatalog();
    await t.given([volumeCreated(), volumeProvisioned()]);
  });
  afterEach(() => t.close());

  it('a backup recorded completed whose volume is still locked: the lock ends completed', async () => {
    await t.given([
      event('VolumeBackupStarted', { volumeId: VOLUME, backupId, previousStatus: 'available', startedAt: at(10) }),
      backupRequested(),
      backupStarted(),
      backupCompleted(),
    ]);

    expect(await repair()).toBe(1);

    expect(await lastOnVolume()).toMatchObject({
      type: 'VolumeBackupEnded',
      data: { backupId, outcome: 'completed', status: 'available' },
    });
    expect(volumeStatus()).toBe('available');
  });

  it('a backup job killed after BackupFailed: run again it does nothing, and the sweep ends the lock failed at once', async () => {
    await t.given([
      event('VolumeBackupStarted', { volumeId: VOLUME, backupId, previousStatus: 'available', startedAt: at(10) }),
      backupRequested(),
    ]);
    // A real run on a volume whose image is missing (the fixture's path): it fails reading it.
    const dir = mkdtempSync(join(tmpdir(), 'strata-repair-'));
    const options = loadConfig({ env: { STRATA_STATE_PATH: dir }, cwd: dir });
    const repositories = new BackupRepositories(options);
    const deps = { catalog: t.catalog, repositories, options, now: () => new Date(at(20)) };
    try {
      const killed = killableStore(t.store, { after: 'BackupFailed' });
      await expect(runBackupJob({ ...deps, store: killed }, cause, backupId, new AbortController().signal)).rejects.toThrow(Killed);
      await runBackupJob({ ...deps, store: t.store }, cause, backupId, new AbortController().signal);
      await t.catalog.waitForPosition(await t.store.headPosition());
      expect(volumeStatus()).toBe('backing-up');
    } finally {
      repositories.close();
      rmSync(dir, { recursive: true, force: true });
    }

    expect(await repair()).toBe(1);

    expect(await lastOnVolume()).toMatchObject({ type: 'VolumeBackupEnded', data: { backupId, outcome: 'failed', status: 'available' } });
    expect(volumeStatus()).toBe('available');
    const backupEvents: string[] = [];
    for await (const e of t.store.readStream(backupStreamId(backupId))) backupEvents.push(e.type);
    expect(backupEvents).toEqual(['BackupRequested', 'BackupStarted', 'BackupFailed']);
    expect(await repair()).toBe(0);
  });

  /** The lease a SIGKILLed worker held on the backup's job: live for a while yet (no age decides anything). */
  const deadWorkersLease = () =>
    decideAndAppend(
      t.store,
      jobLeaseStreamId({ kind: 'backup', id: backupId }),
      jobLeaseDecider,
      {
        type: 'AcquireJobLease',
        data: { subject: { kind: 'backup', id: backupId }, workerId: 'killed-worker', leaseSeconds: 3600, now: at(55) },
      },
      meta(),
    );

  it("a backup its job recorded failed, the killed worker's lease still live: the lock ends failed at once", async () => {
    await t.given([
      event('VolumeBackupStarted', { volumeId: VOLUME, backupId, previousStatus: 'available', startedAt: at(10) }),
      backupRequested(),
      backupStarted(),
      event('BackupFailed', { backupId, reason: 'the source could not be read', failedAt: at(12) }),
    ]);
    await deadWorkersLease();

    expect(await repair()).toBe(1);

    expect(await lastOnVolume()).toMatchObject({ type: 'VolumeBackupEnded', data: { backupId, outcome: 'failed' } });
  });

  it('a backup an admin reset to error while its lease is live: the lock stays, its job may still be reading', async () => {
    await t.given([
      event('VolumeBackupStarted', { volumeId: VOLUME, backupId, previousStatus: 'available', startedAt: at(10) }),
      backupRequested(),
      backupStarted(),
      event('BackupStatusReset', { backupId, status: 'error', previousStatus: 'creating', resetAt: at(12) }),
    ]);
    await deadWorkersLease();

    expect(await repair()).toBe(0);

    expect(volumeStatus()).toBe('backing-up');
  });

  it('a backup of a snapshot recorded failed whose snapshot is still locked: the lock ends failed', async () => {
    const { snapshotId } = snapshotCreated().data;
    await t.given([
      snapshotCreated(),
      event('SnapshotProvisioned', {
        snapshotId,
        location: { kind: 'file', path: '/data/snap.img', sizeBytes: 1 << 30, owned: true },
        provisionedAt: at(3),
      }),
      event('SnapshotBackupStarted', { snapshotId, backupId, startedAt: at(10) }),
      backupRequested({ snapshotId }),
      backupStarted(),
      event('BackupFailed', { backupId, reason: 'the source could not be read', failedAt: at(12) }),
    ]);

    expect(await repair()).toBe(1);

    const last = [];
    for await (const e of t.store.readStream(snapshotStreamId(snapshotId))) last.push({ type: e.type, data: e.data });
    expect(last.at(-1)).toMatchObject({ type: 'SnapshotBackupEnded', data: { backupId, outcome: 'failed' } });
    expect(t.catalog.getSnapshot(snapshotId, { projectId: '', allProjects: true })?.status).toBe('available');
  });

  it('a backup still creating keeps its lock: its job resumes it', async () => {
    await t.given([
      event('VolumeBackupStarted', { volumeId: VOLUME, backupId, previousStatus: 'available', startedAt: at(10) }),
      backupRequested(),
      backupStarted(),
    ]);

    expect(await repair()).toBe(0);

    expect(volumeStatus()).toBe('backing-up');
  });

  it('a restore recorded completed whose target is still locked: the lock ends completed, and no second restore is asked for', async () => {
    await t.given([backupRequested(), backupStarted(), backupCompleted()]);
    await t.given([event('VolumeRestoreStarted', { volumeId: VOLUME, backupId, startedAt: at(20), volumeIsNew: false })]);
    // The workflow's second step as it records it (keyed by the lock), then the restore job's outcome.
    const recorder = new JobRecorder(t.store, cause);
    expect(await requestRestore(t.store, recorder, backupId, VOLUME, at(21))).toBe('requested');
    await decideAndAppend(
      t.store,
      backupStreamId(backupId),
      backupDecider,
      { type: 'CompleteRestore', data: { backupId, volumeId: VOLUME, bytesWritten: 1 << 30, now: at(30) } },
      meta(),
    );
    await t.catalog.waitForPosition(await t.store.headPosition());

    expect(await repair()).toBe(1);

    expect(await lastOnVolume()).toMatchObject({
      type: 'VolumeRestoreEnded',
      data: { backupId, outcome: 'completed', status: 'available' },
    });
    expect(volumeStatus()).toBe('available');
    const restores: string[] = [];
    for await (const e of t.store.readStream(backupStreamId(backupId))) if (e.type.startsWith('Restore')) restores.push(e.type);
    expect(restores).toEqual(['RestoreRequested', 'RestoreCompleted']);
  });
  it("a restore its job recorded completed, the killed worker's lease still live: the lock ends completed at once", async () => {
    await t.given([backupRequested(), backupStarted(), backupCompleted()]);
    await t.given([event('VolumeRestoreStarted', { volumeId: VOLUME, backupId, startedAt: at(20), volumeIsNew: false })]);
    expect(await requestRestore(t.store, new JobRecorder(t.store, cause), backupId, VOLUME, at(21))).toBe('requested');
    await decideAndAppend(
      t.store,
      backupStreamId(backupId),
      backupDecider,
      { type: 'CompleteRestore', data: { backupId, volumeId: VOLUME, bytesWritten: 1 << 30, now: at(30) } },
      meta(),
    );
    await deadWorkersLease();
    await t.catalog.waitForPosition(await t.store.headPosition());

    expect(await repair()).toBe(1);

    expect(await lastOnVolume()).toMatchObject({
      type: 'VolumeRestoreEnded',
      data: { backupId, outcome: 'completed', status: 'available' },
    });
  });

  it('a restore still running under a live lease keeps its lock', async () => {
    await t.given([backupRequested(), backupStarted(), backupCompleted()]);
    await t.given([event('VolumeRestoreStarted', { volumeId: VOLUME, backupId, startedAt: at(20), volumeIsNew: false })]);
    await deadWorkersLease();
    await t.catalog.waitForPosition(await t.store.headPosition());

    expect(await repair()).toBe(0);

    expect(volumeStatus()).toBe('restoring-backup');
  });
});
