import { append, backupRequested, meta, openTestCatalog, type TestCatalog } from '@strata/catalog/testing/catalog-fixtures';
import { loadConfig } from '@strata/config';
import { backupStreamId, volumeDecider, volumeStreamId, type VolumeCommand } from '@strata/domain';
import { decideAndAppend, type EventStore, type ReadStreamOptions } from '@strata/event-store';
import { Killed } from '@strata/workflows/testing/killable-recorder';
import { killableStore, type KillPoint } from '@strata/workflows/testing/killable-store';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupRepositories } from '../backup-repositories';
import { runBackupJob, type BackupJobDeps } from '../backup/backup-job';
import type { JobCause } from '../job-recorder';
import { repairStaleLocks } from '../startup-repair';
import { runRestoreJob } from './restore-job';

const source = 'a0000000-0000-4000-8000-0000000000e1';
const target = 'a0000000-0000-4000-8000-0000000000e2';
const other = 'a0000000-0000-4000-8000-0000000000e3';
const backupId = 'b0000000-0000-4000-8000-0000000000e1';
const NOW = '2026-12-04T10:00:00.000Z';
/** A second restore's lock: a workflow of its own (its id is the lock's time). */
const LATER = '2026-12-04T11:00:00.000Z';
const MiB = 1024 * 1024;
const IMAGE_BYTES = 8 * MiB;
const cause: JobCause = { eventId: 'trigger', meta: meta() };

/**
 * The restore job's steps after the lock on the target, as `stream type`, in the order it records them.
 * Its checkpoints (RestoreProgressed) come every 32 MiB or 2 s, so a run this small may take one or
 * none: they are left out of the comparison (the engine's own specs cover resuming from them).
 */
const steps = [
  `${backupStreamId(backupId)} RestoreRequested`,
  `${volumeStreamId(target)} VolumeMetadataRestored`,
  `${backupStreamId(backupId)} RestoreCompleted`,
  `${volumeStreamId(target)} VolumeRestoreEnded`,
];

/**
 * A restore into an existing volume or a new one, run by the restore job on a real POSIX repository and real image
 * files: it asks for the restore, writes and verifies the data, applies the volume metadata the backup
 * saved (VolumeMetadataRestored), records the restore (RestoreCompleted) and gives the lock back. Killed
 * between any two of those steps, the job is run again, as the sweep does for a `restoring` backup, and
 * then the sweep's lock repair runs; the log ends as after an uninterrupted run, each step once, with the
 * volume available, holding the backup's bytes and its saved metadata.
 */
const targets = [
  ['an existing volume', { isNew: false, name: 'target', nameAfter: 'target' }],
  // Created to restore the backup into (Cinder's auto name): provisioning locks it; the saved name replaces the auto one.
  ['a new volume created from the backup', { isNew: true, name: `restore_backup_${backupId}`, nameAfter: 'source' }],
] as const;

describe.each(targets)('runRestoreJob into %s, killed between two steps', (_name, into) => {
  let t: TestCatalog;
  let dir: string;
  let deps: BackupJobDeps;
  let sourceBytes: Buffer;
  const decideOn = (volumeId: string, command: VolumeCommand) =>
    decideAndAppend(t.store, volumeStreamId(volumeId), volumeDecider, command, meta());
  const caughtUp = async () => t.catalog.waitForPosition(await t.store.headPosition());
  const recordedAfter = async (position: bigint) => {
    const seen: string[] = [];
    for await (const e of t.store.readAll({ fromPosition: position + 1n }))
      if (e.type !== 'RestoreProgressed') seen.push(`${e.streamId} ${e.type}`);
    return seen;
  };

  /** A 1 GiB volume with an image of its own: available, or (created from the backup) locked for its restore. */
  const givenAVolume = async (volumeId: string, name: string, metadata: Record<string, string>, fromBackup = false) => {
    await decideOn(volumeId, {
      type: 'CreateVolume',
      data: {
        volumeId,
        projectId: 'project-1',
        userId: 'user-1',
        name,
        description: null,
        sizeGb: 1,
        availabilityZone: 'nova',
        volumeType: null,
        encryptionKeyId: null,
        metadata,
        source: fromBackup ? { kind: 'backup', backupId } : { kind: 'blank' },
        createdAt: NOW,
        ...(fromBackup ? { restoreOf: { backupId } } : {}),
      },
    });
    // An image of 8 MiB, not 1 GiB, keeps each run short: the rules read `sizeGb`, the engines the file.
    const path = join(dir, `volume-${volumeId}.img`);
    await writeFile(path, Buffer.alloc(IMAGE_BYTES));
    const location = { kind: 'file' as const, path, sizeBytes: IMAGE_BYTES, owned: true };
    await decideOn(volumeId, { type: 'RecordVolumeProvisioned', data: { volumeId, location, sizeGb: 1, now: NOW } });
    return path;
  };

  /** The source backed up by the backup job; then the target locked for its restore. Returns where the restore's steps start. */
  const givenTheLock = async () => {
    const sourcePath = await givenAVolume(source, 'source', { purpose: 'database' });
    sourceBytes = randomBytes(3 * MiB);
    const handle = await open(sourcePath, 'r+');
    await handle.write(sourceBytes, 0, sourceBytes.length, 0);
    await handle.close();
    await decideOn(source, { type: 'StartVolumeBackup', data: { volumeId: source, backupId, force: false, now: NOW } });
    await append(t.store, [backupRequested({ backupId, volumeId: source, service: 'posix', createdAt: NOW })]);
    await caughtUp();
    await runBackupJob(deps, cause, backupId, new AbortController().signal);
    await caughtUp();
    expect(t.catalog.getBackup(backupId, { projectId: '', allProjects: true })?.status).toBe('available');
    await givenAVolume(target, into.name, { stale: 'yes' }, into.isNew);
    if (!into.isNew)
      await decideOn(target, {
        type: 'StartVolumeRestore',
        data: { volumeId: target, backupId, backupSizeGb: 1, backupSizeBytes: IMAGE_BYTES, volumeIsNew: false, now: NOW },
      });
    await caughtUp();
    return t.store.headPosition();
  };

  const restore = (store: EventStore = t.store) => runRestoreJob({ ...deps, store }, cause, backupId, new AbortController().signal, target);
  /** What the sweep does after a restart: resume the restore of a `restoring` backup, then repair the locks. */
  const sweep = async () => {
    await caughtUp();
    const backup = t.catalog.getBackup(backupId, { projectId: '', allProjects: true });
    if (backup?.status === 'restoring') await runRestoreJob(deps, cause, backupId, new AbortController().signal, backup.restoreVolumeId!);
    await caughtUp();
    await repairStaleLocks({ store: t.store, catalog: t.catalog, now: deps.now }, cause);
    await caughtUp();
  };
  const expectRestored = async () => {
    const volume = t.catalog.getVolume(target, { projectId: '', allProjects: true });
    expect(volume).toMatchObject({ status: 'available', name: into.nameAfter });
    // The backup's saved metadata replaced the volume's own.
    expect(volume?.metadata).toEqual({ purpose: 'database' });
    const restored = await readFile(volume!.locationPath!);
    expect(restored.subarray(0, sourceBytes.length).equals(sourceBytes)).toBe(true);
  };

  beforeEach(() => {
    t = openTestCatalog();
    dir = mkdtempSync(join(tmpdir(), 'strata-restore-job-'));
    // Objects of 2 MiB: a restore of several objects.
    const options = loadConfig({
      env: { STRATA_STATE_PATH: dir, STRATA_BACKUP_FILE_SIZE: String(2 * MiB) },
      cwd: dir,
    });
    deps = { store: t.store, catalog: t.catalog, repositories: new BackupRepositories(options), options, now: () => new Date(NOW) };
  });
  afterEach(async () => {
    deps.repositories.close();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records each step once: the volume available with the saved metadata, the lock given back', async () => {
    const position = await givenTheLock();

    await restore();
    await sweep();

    expect(await recordedAfter(position)).toEqual(steps);
    await expectRestored();
  });

  it('restores again from the start, not from the checkpoint of a restore requested before', async () => {
    await givenTheLock();
    await restore();
    await sweep();
    // Given a checkpoint of that restore claiming every object written, and the target's bytes gone since.
    await t.store.appendToStream(backupStreamId(backupId), [
      {
        id: randomUUID(),
        type: 'RestoreProgressed',
        data: { backupId, volumeId: target, objectsDone: 1000, bytesDone: IMAGE_BYTES, bytesTotal: IMAGE_BYTES, progressedAt: NOW },
      },
    ]);
    await writeFile(t.catalog.getVolume(target, { projectId: '', allProjects: true })!.locationPath!, Buffer.alloc(IMAGE_BYTES));
    await decideOn(target, {
      type: 'StartVolumeRestore',
      data: { volumeId: target, backupId, backupSizeGb: 1, backupSizeBytes: IMAGE_BYTES, volumeIsNew: false, now: LATER },
    });
    await caughtUp();

    await restore();
    await sweep();

    await expectRestored();
  });

  it('leaves a restore requested for another volume between its two reads of the backup to that restore', async () => {
    const position = await givenTheLock();
    await givenAVolume(other, 'other', {});
    // Given a reset and a restore into another volume recorded just as the job reads back for its request.
    let raced = false;
    const racing = Object.assign(Object.create(t.store) as EventStore, {
      readStream: (streamId: string, options?: ReadStreamOptions) => {
        if (raced || streamId !== backupStreamId(backupId) || options?.direction !== 'backwards')
          return t.store.readStream(streamId, options);
        raced = true;
        return (async function* () {
          await t.store.appendToStream(streamId, [
            { id: randomUUID(), type: 'RestoreRequested', data: { backupId, volumeId: other, volumeIsNew: false, requestedAt: LATER } },
          ]);
          yield* t.store.readStream(streamId, options);
        })();
      },
    });

    await restore(racing);

    expect(raced).toBe(true);
    // Nothing restored into the target on the other restore's request, nothing completed or failed for it.
    const types = (await recordedAfter(position)).filter((step) => !step.startsWith(volumeStreamId(other)));
    expect(types).toEqual([`${backupStreamId(backupId)} RestoreRequested`, `${backupStreamId(backupId)} RestoreRequested`]);
  });

  const kills: readonly KillPoint[] = [{ after: 'RestoreRequested' }, { after: 'VolumeMetadataRestored' }, { after: 'RestoreCompleted' }];
  it.each(kills.map((at) => [Object.values(at)[0], at] as const))('killed after %s, then swept: the same log', async (_type, at) => {
    const position = await givenTheLock();
    await expect(restore(killableStore(t.store, at))).rejects.toThrow(Killed);
    expect((await recordedAfter(position)).at(-1)).toMatch(new RegExp(` ${Object.values(at)[0]}$`));

    await sweep();

    expect(await recordedAfter(position)).toEqual(steps);
    await expectRestored();
  });
});
