import type { Catalog } from '@strata/catalog';
import { append, availableBackup, meta } from '@strata/catalog/testing/catalog-fixtures';
import { backupDecider, backupStreamId, volumeDecider, volumeStreamId, type VolumeCommand, type VolumeSource } from '@strata/domain';
import { decideAndAppend, openMemoryEventStore, type EventStore } from '@strata/event-store';
import { FileVolumeProvider } from '@strata/volumes';
import { Killed } from '@strata/workflows/testing/killable-recorder';
import { killableStore, type KillPoint } from '@strata/workflows/testing/killable-store';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobCause } from '../job-recorder';
import { deleteVolume, type VolumeJobDeps } from './volume-jobs';

const volumeId = 'a0000000-0000-4000-8000-0000000000d1';
const backupId = 'b0000000-0000-4000-8000-0000000000d1';
const NOW = '2026-12-04T10:00:00.000Z';
const cause: JobCause = { eventId: 'trigger', meta: meta() };

interface Case {
  readonly source: VolumeSource;
  /** What the deletion job records, as `stream type`, in order (removing the image comes just before VolumeDeleted). */
  readonly steps: readonly string[];
  /** Every place a SIGKILL can fall between two of those steps. */
  readonly kills: readonly KillPoint[];
}

const cases: readonly [string, Case][] = [
  [
    'from a backup, its restore requested: RestoreCancelled → image removed → VolumeDeleted',
    {
      source: { kind: 'backup', backupId },
      steps: [`${backupStreamId(backupId)} RestoreCancelled`, `${volumeStreamId(volumeId)} VolumeDeleted`],
      kills: [{ after: 'RestoreCancelled' }, { before: 'VolumeDeleted' }],
    },
  ],
  [
    'from a snapshot, its copy stopped: the unfinished copy removed → VolumeDeleted',
    {
      source: { kind: 'snapshot', snapshotId: 'c0000000-0000-4000-8000-0000000000d1' },
      steps: [`${volumeStreamId(volumeId)} VolumeDeleted`],
      kills: [{ before: 'VolumeDeleted' }],
    },
  ],
  [
    'from a volume, its copy stopped: the unfinished copy removed → VolumeDeleted',
    {
      source: { kind: 'volume', volumeId: 'a0000000-0000-4000-8000-0000000000d2' },
      steps: [`${volumeStreamId(volumeId)} VolumeDeleted`],
      kills: [{ before: 'VolumeDeleted' }],
    },
  ],
];

/**
 * Deleting a volume still being created from a source cancels the creation: the restore from its
 * backup is recorded as cancelled (the backup is available again), what was written of the volume is
 * removed, and the volume recorded deleted. A worker killed after any of those steps leaves the volume
 * `deleting`, which the sweep finds; the job, run again, ends with the same log (each step once) and no
 * image left behind.
 */
describe.each(cases)('deleteVolume of a volume creating %s', (_name, c) => {
  let dir: string;
  let store: EventStore;
  let deps: VolumeJobDeps;
  const decideOnVolume = (command: VolumeCommand) => decideAndAppend(store, volumeStreamId(volumeId), volumeDecider, command, meta());
  const recordedAfter = async (position: bigint) => {
    const steps: string[] = [];
    for await (const e of store.readAll({ fromPosition: position + 1n })) steps.push(`${e.streamId} ${e.type}`);
    return steps;
  };
  const imagesLeft = () => readdirSync(dir).filter((name) => name.includes(volumeId));

  /** The log as the api leaves it once the deletion is requested; returns where the job's steps start. */
  const givenTheDeletion = async () => {
    await decideOnVolume({
      type: 'CreateVolume',
      data: {
        volumeId,
        projectId: 'project-1',
        userId: 'user-1',
        name: 'v',
        description: null,
        sizeGb: 1,
        availabilityZone: 'nova',
        volumeType: null,
        encryptionKeyId: null,
        metadata: {},
        source: c.source,
        createdAt: NOW,
        ...(c.source.kind === 'backup' ? { restoreOf: { backupId } } : {}),
      },
    });
    if (c.source.kind === 'backup') {
      // Provisioned (a blank image, locked for the restore in the same append), then the restore asked for.
      await append(store, availableBackup({ backupId }));
      const location = await deps.provider.createVolume(volumeId, 1);
      await decideOnVolume({ type: 'RecordVolumeProvisioned', data: { volumeId, location, sizeGb: 1, now: NOW } });
      await decideAndAppend(
        store,
        backupStreamId(backupId),
        backupDecider,
        { type: 'RequestRestore', data: { backupId, volumeId, volumeIsNew: true, now: NOW } },
        meta(),
      );
    } else {
      // What the stopped copy had written: its unfinished image, under the name a resumed copy would find.
      writeFileSync(join(dir, `.volume-${volumeId}.img.copy`), 'copied so far');
    }
    await decideOnVolume({ type: 'RequestVolumeDeletion', data: { volumeId, liveSnapshotCount: 0, now: NOW } });
    expect(imagesLeft()).toHaveLength(1);
    return store.headPosition();
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-volume-deletion-'));
    store = openMemoryEventStore();
    deps = {
      store,
      catalog: {} as Catalog,
      provider: new FileVolumeProvider(dir),
      options: { quota_volumes: -1, quota_gigabytes: -1, quota_snapshots: -1, quota_backups: -1, quota_backup_gigabytes: -1 },
      now: () => new Date(NOW),
    };
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records its steps once and leaves no image', async () => {
    const position = await givenTheDeletion();

    await deleteVolume(deps, cause, volumeId);

    expect(await recordedAfter(position)).toEqual(c.steps);
    expect(imagesLeft()).toEqual([]);
  });

  it.each(c.kills.map((at) => [Object.entries(at)[0]!.join(' '), at] as const))(
    'killed %s and run again: the same log, no image left',
    async (_at, at) => {
      const position = await givenTheDeletion();
      await expect(deleteVolume({ ...deps, store: killableStore(store, at) }, cause, volumeId)).rejects.toThrow(Killed);
      expect(await recordedAfter(position)).not.toContain(`${volumeStreamId(volumeId)} VolumeDeleted`);
      // Killed after an append, nothing after it ran; killed before VolumeDeleted, the image was already removed.
      expect(imagesLeft()).toHaveLength('after' in at ? 1 : 0);

      await deleteVolume(deps, cause, volumeId);

      expect(await recordedAfter(position)).toEqual(c.steps);
      expect(imagesLeft()).toEqual([]);
    },
  );

  it('run again once done (a redelivered trigger): records nothing', async () => {
    const position = await givenTheDeletion();
    await deleteVolume(deps, cause, volumeId);

    await deleteVolume(deps, cause, volumeId);

    expect(await recordedAfter(position)).toEqual(c.steps);
    expect(existsSync(join(dir, `volume-${volumeId}.img`))).toBe(false);
  });
});
