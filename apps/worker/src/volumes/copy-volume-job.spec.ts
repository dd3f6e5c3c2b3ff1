import type { Catalog } from '@strata/catalog';
import {
  backupDecider,
  backupStreamId,
  volumeDecider,
  volumeStreamId,
  type BackupCommand,
  type EventMeta,
  type VolumeCommand,
  type VolumeSource,
} from '@strata/domain';
import { decideAndAppend, openMemoryEventStore, type EventStore, type RecordedEvent } from '@strata/event-store';
import { FileVolumeProvider, GIB_BYTES } from '@strata/volumes';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { append, availableBackup } from '@strata/catalog/testing/catalog-fixtures';
import { causeOf } from '../job-recorder';
import { deleteVolume, provisionVolume, type VolumeJobDeps } from './volume-jobs';

const sourceId = 'a0000000-0000-4000-8000-000000000001';
const volumeId = 'a0000000-0000-4000-8000-000000000002';
const backupId = 'b0000000-0000-4000-8000-000000000001';
const NOW = '2026-12-04T10:00:00.000Z';
const MiB = 1024 * 1024;
/** `length` bytes of a file at `offset`. */
const readAt = async (path: string, offset: number, length: number) => {
  const handle = await open(path, 'r');
  try {
    const piece = Buffer.alloc(length);
    await handle.read(piece, 0, length, offset);
    return piece;
  } finally {
    await handle.close();
  }
};
const meta: EventMeta = { correlationId: 'c', causationId: 'c', userId: 'u', projectId: 'p', requestId: 'r' };

/** The provisioning job of a volume from a volume (a clone), and the deletion that cancels one, on the memory store and real files. */
describe('provisionVolume from a source volume, and deleteVolume cancelling it', () => {
  let dir: string;
  let store: EventStore;
  let deps: VolumeJobDeps;
  const decide = (id: string, command: VolumeCommand) => decideAndAppend(store, volumeStreamId(id), volumeDecider, command, meta);
  const eventsOf = async (id: string) => {
    const seen: RecordedEvent[] = [];
    for await (const e of store.readStream(volumeStreamId(id))) seen.push(e);
    return seen;
  };
  const lastEvent = async (id = volumeId) => (await eventsOf(id)).pop()!;
  const create = (id: string, source: VolumeSource, sizeGb = 1) =>
    decide(id, {
      type: 'CreateVolume',
      data: {
        volumeId: id,
        projectId: 'p',
        userId: 'u',
        name: 'v',
        description: null,
        sizeGb,
        availabilityZone: 'nova',
        volumeType: null,
        encryptionKeyId: null,
        metadata: {},
        source,
        createdAt: NOW,
        ...(source.kind === 'backup' ? { restoreOf: { backupId: source.backupId } } : {}),
      },
    });

  /** A 1 GiB source volume with data at 0 and at 300 MiB. */
  const givenASource = async () => {
    await create(sourceId, { kind: 'blank' });
    const location = await deps.provider.createVolume(sourceId, 1);
    const handle = await open(location.path, 'r+');
    await handle.write(randomBytes(MiB), 0, MiB, 0);
    await handle.write(randomBytes(MiB), 0, MiB, 300 * MiB);
    await handle.close();
    await decide(sourceId, { type: 'RecordVolumeProvisioned', data: { volumeId: sourceId, location, sizeGb: 1, now: NOW } });
    return location;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-copy-job-'));
    store = openMemoryEventStore();
    deps = {
      store,
      // No quota class: the options' (unlimited) defaults decide the creation's claim.
      catalog: { quotaClassLimits: () => ({}) } as unknown as Catalog,
      provider: new FileVolumeProvider(dir),
      options: { quota_volumes: -1, quota_gigabytes: -1, quota_snapshots: -1, quota_backups: -1, quota_backup_gigabytes: -1 },
      now: () => new Date(NOW),
      copyCheckpointBytes: 256 * MiB,
    };
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies the source into a larger volume, recording each checkpoint, then the volume available', async () => {
    const source = await givenASource();
    await create(volumeId, { kind: 'volume', volumeId: sourceId }, 2);

    await provisionVolume(deps, causeOf(await lastEvent()), volumeId);

    const events = await eventsOf(volumeId);
    expect(events.map((e) => e.type)).toEqual([
      'VolumeCreated',
      'VolumeCopyProgressed',
      'VolumeCopyProgressed',
      'VolumeCopyProgressed',
      'VolumeProvisioned',
    ]);
    expect(events.slice(1, 4).map((e) => (e.data as { bytesDone: number }).bytesDone)).toEqual([256 * MiB, 512 * MiB, 768 * MiB]);
    const image = join(dir, `volume-${volumeId}.img`);
    expect(events[4]!.data).toMatchObject({ location: { path: image, sizeBytes: 2 * GIB_BYTES }, sizeGb: 2 });
    for (const offset of [0, 300 * MiB])
      expect((await readAt(image, offset, MiB)).equals(await readAt(source.path, offset, MiB))).toBe(true);
    expect((await readAt(image, GIB_BYTES + MiB, MiB)).equals(Buffer.alloc(MiB))).toBe(true);
  });

  it('resumes after the last recorded checkpoint and records only the checkpoints after it', async () => {
    await givenASource();
    await create(volumeId, { kind: 'volume', volumeId: sourceId });
    await decide(volumeId, { type: 'RecordVolumeCopyProgress', data: { volumeId, bytesDone: 512 * MiB, bytesTotal: GIB_BYTES, now: NOW } });
    // The unfinished image a dead worker left: a mark before its checkpoint shows what is not copied again.
    const unfinished = join(dir, `.volume-${volumeId}.img.copy`);
    writeFileSync(unfinished, Buffer.from('kept'));

    await provisionVolume(deps, causeOf(await lastEvent()), volumeId);

    const events = await eventsOf(volumeId);
    expect(events.map((e) => e.type)).toEqual(['VolumeCreated', 'VolumeCopyProgressed', 'VolumeCopyProgressed', 'VolumeProvisioned']);
    const image = join(dir, `volume-${volumeId}.img`);
    expect((await readAt(image, 0, 4)).toString()).toBe('kept');
    expect(existsSync(unfinished)).toBe(false);
  });

  it('records the volume in error, with the reason, when the source has no data any more', async () => {
    const source = await givenASource();
    await create(volumeId, { kind: 'volume', volumeId: sourceId });
    unlinkSync(source.path);

    await provisionVolume(deps, causeOf(await lastEvent()), volumeId);

    const failed = await lastEvent();
    expect(failed.type).toBe('VolumeProvisioningFailed');
    expect((failed.data as { reason: string }).reason).toContain('ENOENT');
  });

  it('stops a copy whose volume is being deleted without recording anything; the deletion removes what it copied', async () => {
    await givenASource();
    await create(volumeId, { kind: 'volume', volumeId: sourceId });
    const cancel = new AbortController();
    const slow = { ...deps, copyCheckpointBytes: 64 * MiB };
    const created = await lastEvent();
    // The deletion arrives during the copy: at its first checkpoint.
    await provisionVolume({ ...slow, store: withDeletionAtFirstCheckpoint(store, cancel) }, causeOf(created), volumeId, cancel.signal);

    expect((await eventsOf(volumeId)).map((e) => e.type)).toEqual(['VolumeCreated', 'VolumeCopyProgressed', 'VolumeDeletionRequested']);
    expect(existsSync(join(dir, `.volume-${volumeId}.img.copy`))).toBe(true);

    await deleteVolume(deps, causeOf(await lastEvent()), volumeId);

    expect((await lastEvent()).type).toBe('VolumeDeleted');
    expect(existsSync(join(dir, `.volume-${volumeId}.img.copy`))).toBe(false);
    expect(existsSync(join(dir, `volume-${volumeId}.img`))).toBe(false);
  });

  it('cancels the restore of a volume from a backup before deleting it', async () => {
    await create(volumeId, { kind: 'backup', backupId });
    const location = await deps.provider.createVolume(volumeId, 1);
    await decide(volumeId, { type: 'RecordVolumeProvisioned', data: { volumeId, location, sizeGb: 1, now: NOW } });
    await append(store, availableBackup({ backupId }));
    await decideAndAppend(
      store,
      backupStreamId(backupId),
      backupDecider,
      {
        type: 'RequestRestore',
        data: { backupId, volumeId, volumeIsNew: true, now: NOW },
      } satisfies BackupCommand,
      meta,
    );
    await decide(volumeId, { type: 'RequestVolumeDeletion', data: { volumeId, liveSnapshotCount: 0, now: NOW } });

    await deleteVolume(deps, causeOf(await lastEvent()), volumeId);

    const backupEvents: string[] = [];
    for await (const e of store.readStream(backupStreamId(backupId))) backupEvents.push(e.type);
    expect(backupEvents.slice(-1)).toEqual(['RestoreCancelled']);
    expect((await lastEvent()).type).toBe('VolumeDeleted');
    expect(existsSync(location.path)).toBe(false);
  });

  /** The store, with a deletion of the volume requested (and the job's signal aborted) right after the copy's first checkpoint. */
  const withDeletionAtFirstCheckpoint = (inner: EventStore, cancel: AbortController): EventStore =>
    new Proxy(inner, {
      get(target, property, receiver) {
        if (property !== 'appendToStream') return Reflect.get(target, property, receiver) as unknown;
        return async (...args: Parameters<EventStore['appendToStream']>) => {
          const result = await target.appendToStream(...args);
          const events = args[1];
          if (!cancel.signal.aborted && events.some((e) => e.type === 'VolumeCopyProgressed')) {
            await decide(volumeId, { type: 'RequestVolumeDeletion', data: { volumeId, liveSnapshotCount: 0, now: NOW } });
            cancel.abort();
          }
          return result;
        };
      },
    });
});
