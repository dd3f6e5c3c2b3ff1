import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { manageFile } from './support/managed-file';
import { startStrata, type RunningStrata } from './support/strata-app';

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('volumes and snapshots around backups', () => {
  let strata: RunningStrata;
  beforeAll(async () => {
    strata = await startStrata();
  });
  afterAll(async () => strata?.close());
  const client = () => strata.client;

  it('creates, finds by name, attaches, detaches and deletes a volume', async () => {
    const volume = await client().createVolume(1, 'findme');
    expect(volume).toMatchObject({ status: 'available', size: 1, name: 'findme', attachments: [] });
    const found = await client().get('/v3/volumes/detail?all_tenants=1&name=findme');
    expect(found.body.volumes.map((v: any) => v.id)).toEqual([volume.id]);
    expect(
      (
        await client().post(`/v3/volumes/${volume.id}/action`, {
          'os-attach': { instance_uuid: '1e000000-0000-4000-8000-0000000000a1', mountpoint: '/dev/vdb' },
        })
      ).status,
    ).toBe(202);
    const attached = (await client().get(`/v3/volumes/${volume.id}`)).body.volume;
    expect(attached.status).toBe('in-use');
    expect(attached.attachments[0]).toMatchObject({ server_id: '1e000000-0000-4000-8000-0000000000a1' });
    expect((await client().delete(`/v3/volumes/${volume.id}`)).status).toBe(400);
    expect((await client().post(`/v3/volumes/${volume.id}/action`, { 'os-detach': {} })).status).toBe(202);
    expect((await client().delete(`/v3/volumes/${volume.id}`)).status).toBe(202);
    await client().waitFor('/v3/volumes/detail', (b: any) => !b.volumes.some((v: any) => v.id === volume.id));
    expect((await client().get(`/v3/volumes/${volume.id}`)).status).toBe(404);
  });

  it('backs up a snapshot, locking the snapshot instead of the volume, and restores its point in time', async () => {
    const { volume, path } = await manageFile(client(), strata.managedDir, 2, 'snapped');
    const atSnapshot = readFileSync(path);
    const created = await client().post('/v3/snapshots', { snapshot: { volume_id: volume.id, name: 'snap1' } });
    expect(created.status).toBe(202);
    const snapshot = (await client().waitFor(`/v3/snapshots/${created.body.snapshot.id}`, (b: any) => b.snapshot.status === 'available'))
      .snapshot;
    expect(snapshot).toMatchObject({ volume_id: volume.id, name: 'snap1', size: 1 });
    writeFileSync(path, Buffer.alloc(atSnapshot.length, 1));

    const other = await client().createVolume(1, 'other');
    const mismatch = await client().post('/v3/backups', { backup: { volume_id: other.id, snapshot_id: snapshot.id } });
    expect(mismatch).toMatchObject({
      status: 400,
      body: { badRequest: { message: `Invalid volume: Volume ${other.id} does not match with snapshot.volume_id ${volume.id}.` } },
    });

    const backup = await client().createBackup(volume.id, { snapshot_id: snapshot.id });
    expect(backup).toMatchObject({ status: 'available', snapshot_id: snapshot.id, volume_id: volume.id });
    expect((await client().get(`/v3/snapshots/${snapshot.id}`)).body.snapshot.status).toBe('available');

    const restore = await client().post(`/v3/backups/${backup.id}/restore`, { restore: {} });
    expect(restore.status).toBe(202);
    const target = restore.body.restore.volume_id;
    expect(restore.body.restore.volume_name).toBe(`restore_backup_${backup.id}`);
    await client().waitFor(`/v3/volumes/${target}`, (b: any) => b.volume.status === 'available');
    const restored = readFileSync(`${strata.options.volumes_path}/volume-${target}.img`).subarray(0, atSnapshot.length);
    expect(sha(restored)).toBe(sha(atSnapshot));

    expect((await client().delete(`/v3/snapshots/${snapshot.id}`)).status).toBe(202);
    await client().waitFor('/v3/snapshots/detail', (b: any) => !b.snapshots.some((s: any) => s.id === snapshot.id));
  });

  it("records the volume's encryption key id with its backups (shown from 3.64)", async () => {
    const keyId = '11111111-2222-4333-8444-555555555555';
    const res = await client().post('/v3/volumes', { volume: { size: 1, name: 'enc', encryption_key_id: keyId } });
    await client().waitFor(`/v3/volumes/${res.body.volume.id}`, (b: any) => b.volume.status === 'available');
    const backup = await client().createBackup(res.body.volume.id);
    const shown = await client().get(`/v3/backups/${backup.id}`, { 'OpenStack-API-Version': 'volume 3.64' });
    expect(shown.body.backup.encryption_key_id).toBe(keyId);
    expect((await client().get(`/v3/backups/${backup.id}`)).body.backup.encryption_key_id).toBeUndefined();
  });
});
