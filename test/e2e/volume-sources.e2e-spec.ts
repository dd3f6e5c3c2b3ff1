import { CATALOG, type Catalog } from '@strata/catalog';
import { volumeDecider, volumeStreamId, type EventMeta } from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import { restoreWorkflowId } from '@strata/workflows';
import { createHash, randomBytes } from 'node:crypto';
import { open, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backupDecider, backupStreamId } from '@strata/domain';
import { restartableStrata, startStrata, startStrataWithTokens, type RunningStrata } from './support/strata-app';
import { strataCli } from './support/strata-cli';
import { imageOf, writeAt } from './support/volume-image';

/**
 * `POST /volumes` with `backup_id` (3.47), `snapshot_id` or `source_volid`, over HTTP: the new volume's
 * bytes are its source's, a volume from a backup gets the backup's saved metadata, Cinder's refusals,
 * cancellation by deleting the volume while it is `creating`, and a copy resumed after its worker died.
 */

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const V347 = { 'OpenStack-API-Version': 'volume 3.47' };

/** SHA-256 of a file's bytes from `from` up to `length`, read in pieces (past the file's end counts as zeros). */
const digestOfRange = async (path: string, length: number, from = 0) => {
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  const piece = Buffer.alloc(8 * MiB);
  try {
    for (let at = from; at < length;) {
      const n = Math.min(piece.length, length - at);
      piece.fill(0);
      await handle.read(piece, 0, n, at);
      hash.update(piece.subarray(0, n));
      at += n;
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
};

const eventTypesOf = async (s: RunningStrata, streamId: string) => {
  const types: string[] = [];
  for await (const e of s.app.get<EventStore>(EVENT_STORE).readStream(streamId)) types.push(e.type);
  return types;
};

describe('volumes created from a backup, a snapshot or a volume', () => {
  let strata: RunningStrata;
  beforeAll(async () => {
    strata = await startStrata();
  });
  afterAll(async () => strata?.close());
  const client = () => strata.client;

  const createFrom = async (volume: Record<string, unknown>, headers: Record<string, string> = V347) => {
    const res = await client().post('/v3/volumes', { volume }, headers);
    expect(res.status).toBe(202);
    expect(res.body.volume.status).toBe('creating');
    return (await client().waitFor(`/v3/volumes/${res.body.volume.id}`, (b: any) => b.volume.status !== 'creating')).volume;
  };

  /** A 1 GiB volume with random bytes at a few places, name, description and metadata. */
  const sourceVolume = async (name: string) => {
    const res = await client().post('/v3/volumes', { volume: { size: 1, name, description: `${name} desc`, metadata: { k: 'v1' } } });
    const volume = (await client().waitFor(`/v3/volumes/${res.body.volume.id}`, (b: any) => b.volume.status === 'available')).volume;
    await writeAt(imageOf(strata, volume.id), 0, randomBytes(3 * MiB));
    await writeAt(imageOf(strata, volume.id), 700 * MiB, randomBytes(2 * MiB));
    return volume;
  };

  it('creates a volume from an incremental backup: the whole chain restored, verified, the backup available again', async () => {
    const source = await sourceVolume('chain-src');
    const full = await client().createBackup(source.id, { name: 'full' });
    await writeAt(imageOf(strata, source.id), 300 * MiB, randomBytes(1 * MiB));
    await client().put(`/v3/volumes/${source.id}`, { volume: { metadata: { k: 'v2', other: 'x' } } });
    const incremental = await client().createBackup(source.id, { name: 'incr', incremental: true });
    expect(incremental).toMatchObject({ status: 'available', is_incremental: true });

    const created = await createFrom({ backup_id: incremental.id, name: 'from-backup' });
    expect(created).toMatchObject({ status: 'available', size: 1, snapshot_id: null, source_volid: null, name: 'from-backup' });
    expect(await digestOfRange(imageOf(strata, created.id), GiB)).toBe(await digestOfRange(imageOf(strata, source.id), GiB));
    // A named target keeps its name; the metadata saved with the backup replaces the new volume's.
    expect(created.metadata).toEqual({ k: 'v2', other: 'x' });
    expect((await client().get(`/v3/backups/${incremental.id}`)).body.backup.status).toBe('available');
    expect((await client().get(`/v3/backups/${full.id}`)).body.backup.status).toBe('available');
    expect(await eventTypesOf(strata, volumeStreamId(created.id))).toEqual([
      'VolumeCreated',
      'VolumeProvisioned',
      'VolumeRestoreStarted',
      'VolumeMetadataRestored',
      'VolumeRestoreEnded',
    ]);
    // A larger volume holds the backup and zeros after it.
    const larger = await createFrom({ backup_id: full.id, size: 2 });
    expect(larger).toMatchObject({ status: 'available', size: 2 });
    expect((await stat(imageOf(strata, larger.id))).size).toBe(2 * GiB);
  }, 240_000);

  it('restores name, description and metadata into an auto-named volume, metadata into an existing one', async () => {
    const source = await sourceVolume('meta-src');
    const backup = await client().createBackup(source.id);
    const res = await client().post(`/v3/backups/${backup.id}/restore`, { restore: {} });
    expect(res.status).toBe(202);
    const restored = (await client().waitFor(`/v3/volumes/${res.body.restore.volume_id}`, (b: any) => b.volume.status === 'available'))
      .volume;
    expect(restored).toMatchObject({ name: 'meta-src', description: 'meta-src desc', metadata: { k: 'v1' } });

    const target = await client().createVolume(1, 'keeps-its-name');
    await client().put(`/v3/volumes/${target.id}`, { volume: { metadata: { mine: 'y' } } });
    expect((await client().post(`/v3/backups/${backup.id}/restore`, { restore: { volume_id: target.id } })).status).toBe(202);
    const after = (await client().waitFor(`/v3/volumes/${target.id}`, (b: any) => b.volume.status === 'available')).volume;
    expect(after).toMatchObject({ name: 'keeps-its-name', metadata: { k: 'v1' } });
  }, 240_000);

  it('creates a volume from a snapshot (larger: extended) and a clone of a volume, byte for byte', async () => {
    const source = await sourceVolume('copy-src');
    const snap = await client().post('/v3/snapshots', { snapshot: { volume_id: source.id, name: 's' } });
    const snapshot = (await client().waitFor(`/v3/snapshots/${snap.body.snapshot.id}`, (b: any) => b.snapshot.status === 'available'))
      .snapshot;
    // Written after the snapshot: not in the volume made from it.
    await writeAt(imageOf(strata, source.id), 10 * MiB, randomBytes(MiB));
    const snapshotImage = join(strata.options.volumes_path, `snapshot-${snapshot.id}.img`);

    const fromSnapshot = await createFrom({ snapshot_id: snapshot.id, size: 2 }, {});
    expect(fromSnapshot).toMatchObject({ status: 'available', size: 2, snapshot_id: snapshot.id, source_volid: null });
    expect((await stat(imageOf(strata, fromSnapshot.id))).size).toBe(2 * GiB);
    expect(await digestOfRange(imageOf(strata, fromSnapshot.id), 2 * GiB)).toBe(await digestOfRange(snapshotImage, 2 * GiB));

    const clone = await createFrom({ source_volid: source.id }, {});
    expect(clone).toMatchObject({
      status: 'available',
      size: 1,
      source_volid: source.id,
      snapshot_id: null,
      volume_type: source.volume_type,
    });
    expect(await digestOfRange(imageOf(strata, clone.id), GiB)).toBe(await digestOfRange(imageOf(strata, source.id), GiB));
    // Sparse: the holes of the source stay holes.
    expect((await stat(imageOf(strata, clone.id))).blocks * 512).toBeLessThan(64 * MiB);
    expect((await client().get(`/v3/volumes/${clone.id}`)).body.volume.source_volid).toBe(source.id);
  }, 240_000);

  it('the strata command creates volumes from a backup, a snapshot and a volume named on its command line', async () => {
    const src = await client().createVolume(1, 'cli-src');
    const backup = await client().createBackup(src.id, { name: 'cli-backup' });
    const snap = await client().post('/v3/snapshots', { snapshot: { volume_id: src.id, name: 'cli-snap' } });
    await client().waitFor(`/v3/snapshots/${snap.body.snapshot.id}`, (b: any) => b.snapshot.status === 'available');
    for (const [flag, ref, name] of [
      ['--backup', 'cli-backup', 'cli-from-backup'],
      ['--snapshot', 'cli-snap', 'cli-from-snapshot'],
      ['--source', 'cli-src', 'cli-clone'],
    ]) {
      const res = await strataCli(strata, 'admin:project-a', 'volume', 'create', flag!, ref!, '--wait', name!);
      expect(res).toMatchObject({ code: 0, stderr: '' });
    }
    const byName = async (name: string) => (await client().get(`/v3/volumes/detail?name=${name}`)).body.volumes[0];
    expect(await byName('cli-from-backup')).toMatchObject({ status: 'available', size: 1 });
    expect((await client().get(`/v3/backups/${backup.id}`)).body.backup.status).toBe('available');
    expect(await byName('cli-from-snapshot')).toMatchObject({ status: 'available', snapshot_id: snap.body.snapshot.id });
    expect(await byName('cli-clone')).toMatchObject({ status: 'available', source_volid: src.id });
    const both = await strataCli(strata, 'admin:project-a', 'volume', 'create', '--backup', 'cli-backup', '--source', 'cli-src');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('only one of --backup, --snapshot and --source may be given');
  }, 240_000);

  it("refuses what Cinder refuses, in Cinder's words", async () => {
    const big = await client().createVolume(2, 'big');
    const refused = async (volume: Record<string, unknown>, status: number, headers: Record<string, string> = V347) => {
      const res = await client().post('/v3/volumes', { volume }, headers);
      expect(res.status).toBe(status);
      return Object.values(res.body as Record<string, { message: string }>)[0]!.message;
    };
    expect(await refused({ source_volid: big.id, size: 1 }, 400)).toBe(
      "Invalid input received: Volume size '1'GB cannot be smaller than original volume size  2GB. They must be >= original volume size.",
    );
    const snap = await client().post('/v3/snapshots', { snapshot: { volume_id: big.id } });
    await client().waitFor(`/v3/snapshots/${snap.body.snapshot.id}`, (b: any) => b.snapshot.status === 'available');
    expect(await refused({ snapshot_id: snap.body.snapshot.id, size: 1 }, 400)).toBe(
      "Invalid input received: Volume size '1'GB cannot be smaller than the snapshot size 2GB. They must be >= original snapshot size.",
    );
    const bigBackup = await client().createBackup(big.id);
    expect(await refused({ backup_id: bigBackup.id, size: 1 }, 400)).toBe(
      'Invalid input received: Volume size 1GB cannot be smaller than the backup size 2GB. It must be >= backup size.',
    );
    const unknown = 'f0000000-0000-4000-8000-00000000000f';
    expect(await refused({ backup_id: unknown }, 404)).toBe(`Backup ${unknown} could not be found.`);
    expect(await refused({ snapshot_id: unknown }, 404)).toBe(`Snapshot ${unknown} could not be found.`);
    expect(await refused({ source_volid: unknown }, 404)).toBe(`Volume ${unknown} could not be found.`);

    const small = await client().createVolume(1, 'small');
    const backup = await client().createBackup(small.id);
    // Before 3.47 `backup_id` is no field of the request.
    expect(
      (await client().post('/v3/volumes', { volume: { backup_id: backup.id } }, { 'OpenStack-API-Version': 'volume 3.46' })).status,
    ).toBe(400);
    expect(await refused({ backup_id: backup.id, source_volid: small.id }, 400)).toBe(
      'Invalid input received: Only one of snapshot_id, source_volid and backup_id can be given.',
    );
    expect((await client().post(`/v3/backups/${backup.id}/action`, { 'os-reset_status': { status: 'error' } })).status).toBe(202);
    expect(await refused({ backup_id: backup.id }, 400)).toBe(
      "Invalid backup: Originating backup status must be one of 'available' values",
    );
    expect(await refused({ source_volid: small.id, volume_type: 'no-such-type' }, 404)).toContain('no-such-type');
  }, 240_000);
});

describe("another project's sources", () => {
  it('are not found', async () => {
    const strata = await startStrataWithTokens({
      owner: { user_id: 'u1', project_id: 'p1', roles: ['member'] },
      stranger: { user_id: 'u2', project_id: 'p2', roles: ['member'] },
    });
    try {
      const owner = strata.client.as({ 'X-Auth-Token': 'owner' });
      const stranger = strata.client.as({ 'X-Auth-Token': 'stranger' });
      const volume = await owner.createVolume(1, 'mine');
      const backup = await owner.createBackup(volume.id);
      const snap = await owner.post('/v3/snapshots', { snapshot: { volume_id: volume.id } });
      await owner.waitFor(`/v3/snapshots/${snap.body.snapshot.id}`, (b: any) => b.snapshot.status === 'available');
      for (const [volumeBody, message] of [
        [{ backup_id: backup.id }, `Backup ${backup.id} could not be found.`],
        [{ snapshot_id: snap.body.snapshot.id }, `Snapshot ${snap.body.snapshot.id} could not be found.`],
        [{ source_volid: volume.id }, `Volume ${volume.id} could not be found.`],
      ] as const) {
        const res = await stranger.post('/v3/volumes', { volume: volumeBody }, V347);
        expect(res.status).toBe(404);
        expect(res.body.itemNotFound.message).toBe(message);
      }
    } finally {
      await strata.close();
    }
  }, 240_000);
});

describe('volumes from a source when the process stops between steps', () => {
  const strata = restartableStrata('strata-volume-sources-');
  const meta: EventMeta = { correlationId: 'vs', causationId: 'vs', userId: 'strata-worker', projectId: 'strata', requestId: 'vs' };
  const storeOf = (s: RunningStrata) => s.app.get<EventStore>(EVENT_STORE);
  const now = () => new Date().toISOString();

  it('deleting a clone still creating cancels it: nothing of it is left', async () => {
    const { client } = await strata.restart(true);
    const source = await client.createVolume(1, 'src');
    const api = await strata.restart(false);
    const res = await api.client.post('/v3/volumes', { volume: { source_volid: source.id } });
    expect(res.body.volume.status).toBe('creating');
    expect((await api.client.delete(`/v3/volumes/${res.body.volume.id}`)).status).toBe(202);
    // A half-made copy, as a worker that died mid-copy leaves it.
    await writeFile(join(api.options.volumes_path, `.volume-${res.body.volume.id}.img.copy`), randomBytes(MiB));

    const worker = await strata.restart(true);
    await waitForGone(worker, res.body.volume.id);
    await expect(stat(join(worker.options.volumes_path, `.volume-${res.body.volume.id}.img.copy`))).rejects.toThrow();
    await expect(stat(imageOf(worker, res.body.volume.id))).rejects.toThrow();
    expect(await eventTypesOf(worker, volumeStreamId(res.body.volume.id))).toEqual([
      'VolumeCreated',
      'VolumeDeletionRequested',
      'VolumeDeleted',
    ]);
  }, 240_000);

  it('deleting a volume being restored from a backup cancels the restore; the backup is available again', async () => {
    const { client } = await strata.restart(true);
    const source = await client.createVolume(1, 'src');
    const backup = await client.createBackup(source.id);
    const api = await strata.restart(false);
    const res = await api.client.post('/v3/volumes', { volume: { backup_id: backup.id } }, V347);
    const volumeId: string = res.body.volume.id;
    // The worker's first steps, as it writes them, before it died: provisioned and locked, then the restore requested.
    const store = storeOf(api);
    const image = join(api.options.volumes_path, `volume-${volumeId}.img`);
    const made = await open(image, 'w');
    await made.truncate(GiB);
    await made.close();
    const at = now();
    await decideAndAppend(
      store,
      volumeStreamId(volumeId),
      volumeDecider,
      {
        type: 'RecordVolumeProvisioned',
        data: { volumeId, location: { kind: 'file', path: image, sizeBytes: GiB, owned: true }, sizeGb: 1, now: at },
      },
      meta,
    );
    const key = `${restoreWorkflowId({ volumeId, backupId: backup.id, startedAt: at })}:request`;
    await decideAndAppend(
      store,
      backupStreamId(backup.id),
      backupDecider,
      { type: 'RequestRestore', data: { backupId: backup.id, volumeId, volumeIsNew: true, now: at } },
      meta,
      { idempotencyKey: key },
    );
    await api.app.get<Catalog>(CATALOG).waitForPosition(await store.headPosition(), 10_000);
    expect((await api.client.get(`/v3/volumes/${volumeId}`)).body.volume.status).toBe('creating');
    expect((await api.client.get(`/v3/backups/${backup.id}`)).body.backup.status).toBe('restoring');
    expect((await api.client.delete(`/v3/volumes/${volumeId}`)).status).toBe(202);

    const worker = await strata.restart(true);
    await waitForGone(worker, volumeId);
    expect((await worker.client.waitFor(`/v3/backups/${backup.id}`, (b: any) => b.backup.status !== 'restoring')).backup.status).toBe(
      'available',
    );
    expect(await eventTypesOf(worker, backupStreamId(backup.id))).toContain('RestoreCancelled');
    expect(await eventTypesOf(worker, backupStreamId(backup.id))).not.toContain('RestoreCompleted');
    await expect(stat(image)).rejects.toThrow();
  }, 240_000);

  it('a copy whose worker died resumes after its last checkpoint; what it wrote after it is not kept', async () => {
    const { client, options } = await strata.restart(true);
    const source = await client.createVolume(1, 'src');
    await writeAt(imageOf(strata.current, source.id), 0, randomBytes(2 * MiB));
    await writeAt(imageOf(strata.current, source.id), 100 * MiB, randomBytes(2 * MiB));
    const api = await strata.restart(false);
    const res = await api.client.post('/v3/volumes', { volume: { source_volid: source.id, size: 2 } });
    const volumeId: string = res.body.volume.id;
    // The died worker's copy: durable up to 64 MiB (its checkpoint), and bytes written after it that are no part of the source.
    const partial = join(options.volumes_path, `.volume-${volumeId}.img.copy`);
    const handle = await open(imageOf(api, source.id), 'r');
    const head = Buffer.alloc(64 * MiB);
    await handle.read(head, 0, head.length, 0);
    await handle.close();
    // A mark before the checkpoint that the source does not hold: a resumed copy does not copy those bytes again.
    const mark = Buffer.from('copied before the checkpoint');
    mark.copy(head, 32 * MiB);
    await writeFile(partial, head);
    await writeAt(partial, 80 * MiB, randomBytes(MiB));
    await decideAndAppend(
      storeOf(api),
      volumeStreamId(volumeId),
      volumeDecider,
      { type: 'RecordVolumeCopyProgress', data: { volumeId, bytesDone: 64 * MiB, bytesTotal: GiB, now: now() } },
      meta,
    );

    const worker = await strata.restart(true);
    const done = (await worker.client.waitFor(`/v3/volumes/${volumeId}`, (b: any) => b.volume.status !== 'creating')).volume;
    expect(done).toMatchObject({ status: 'available', size: 2, source_volid: source.id });
    const copy = await open(imageOf(worker, volumeId), 'r');
    const found = Buffer.alloc(mark.length);
    await copy.read(found, 0, mark.length, 32 * MiB);
    await copy.close();
    expect(found.toString()).toBe(mark.toString());
    expect(await digestOfRange(imageOf(worker, volumeId), 2 * GiB, 64 * MiB)).toBe(
      await digestOfRange(imageOf(worker, source.id), 2 * GiB, 64 * MiB),
    );
  }, 240_000);

  it('a volume from a backup whose api stopped after the first step is created by the worker', async () => {
    const { client } = await strata.restart(true);
    const source = await client.createVolume(1, 'src');
    await writeAt(imageOf(strata.current, source.id), 5 * MiB, randomBytes(MiB));
    const backup = await client.createBackup(source.id);
    const api = await strata.restart(false);
    const res = await api.client.post('/v3/volumes', { volume: { backup_id: backup.id } }, V347);
    expect(res.status).toBe(202);
    const worker = await strata.restart(true);
    const done = (await worker.client.waitFor(`/v3/volumes/${res.body.volume.id}`, (b: any) => b.volume.status !== 'creating')).volume;
    expect(done.status).toBe('available');
    expect(await digestOfRange(imageOf(worker, done.id), GiB)).toBe(await digestOfRange(imageOf(worker, source.id), GiB));
  }, 240_000);

  const waitForGone = async (s: RunningStrata, volumeId: string) => {
    const deadline = Date.now() + 120_000;
    while ((await s.client.get(`/v3/volumes/${volumeId}`)).status !== 404) {
      if (Date.now() > deadline) throw new Error(`volume ${volumeId} was not deleted`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
});
