import type { Catalog } from '@strata/catalog';
import { volumeDecider, volumeStreamId, type EventMeta, type VolumeCommand } from '@strata/domain';
import { decideAndAppend, openMemoryEventStore, type EventStore, type RecordedEvent } from '@strata/event-store';
import { FileVolumeProvider, GIB_BYTES } from '@strata/volumes';
import { mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { causeOf } from '../job-recorder';
import { extendVolume, type VolumeJobDeps } from './volume-jobs';

const volumeId = 'a0000000-0000-4000-8000-000000000001';
const NOW = '2026-11-27T10:00:00.000Z';
const meta: EventMeta = { correlationId: 'c', causationId: 'c', userId: 'u', projectId: 'p', requestId: 'r' };

/** The extend job against the memory store and real image files in a temp directory. */
describe('extendVolume (the os-extend job)', () => {
  let dir: string;
  let store: EventStore;
  let deps: VolumeJobDeps;
  const decide = (command: VolumeCommand) => decideAndAppend(store, volumeStreamId(volumeId), volumeDecider, command, meta);
  const types = async () => {
    const seen: string[] = [];
    for await (const e of store.readStream(volumeStreamId(volumeId))) seen.push(e.type);
    return seen;
  };
  const lastEvent = async () => {
    let last: RecordedEvent | undefined;
    for await (const e of store.readStream(volumeStreamId(volumeId))) last = e;
    return last!;
  };

  /** A 1 GiB file volume, provisioned by the provider as the provision job would. */
  const givenAnAvailableVolume = async () => {
    await decide({
      type: 'CreateVolume',
      data: {
        volumeId,
        projectId: 'p',
        userId: 'u',
        name: 'v',
        description: null,
        sizeGb: 1,
        availabilityZone: 'nova',
        volumeType: null,
        encryptionKeyId: null,
        metadata: {},
        source: { kind: 'blank' },
        createdAt: NOW,
      },
    });
    const location = await deps.provider.createVolume(volumeId, 1);
    await decide({ type: 'RecordVolumeProvisioned', data: { volumeId, location, sizeGb: 1, now: NOW } });
    return location;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-extend-'));
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

  it('grows the image to the new size and records the volume available at it', async () => {
    const { path } = await givenAnAvailableVolume();
    await decide({ type: 'ExtendVolume', data: { volumeId, newSizeGb: 3, inUseAllowed: false, now: NOW } });

    await extendVolume(deps, causeOf(await lastEvent()), volumeId);

    expect(statSync(path).size).toBe(3 * GIB_BYTES);
    expect((await lastEvent()).data).toEqual({ volumeId, sizeGb: 3, sizeBytes: 3 * GIB_BYTES, status: 'available', extendedAt: NOW });
  });

  it('does nothing when delivered again after it finished', async () => {
    await givenAnAvailableVolume();
    await decide({ type: 'ExtendVolume', data: { volumeId, newSizeGb: 2, inUseAllowed: false, now: NOW } });
    const requested = await lastEvent();
    await extendVolume(deps, causeOf(requested), volumeId);

    await extendVolume(deps, causeOf(requested), volumeId);

    expect(await types()).toEqual(['VolumeCreated', 'VolumeProvisioned', 'VolumeExtendRequested', 'VolumeExtended']);
  });

  it('records error_extending with the reason when the image is gone', async () => {
    const { path } = await givenAnAvailableVolume();
    await decide({ type: 'ExtendVolume', data: { volumeId, newSizeGb: 2, inUseAllowed: false, now: NOW } });
    unlinkSync(path);

    await extendVolume(deps, causeOf(await lastEvent()), volumeId);

    const failed = await lastEvent();
    expect(failed.type).toBe('VolumeExtendFailed');
    expect((failed.data as { reason: string }).reason).toContain('ENOENT');
  });
});
