import { randomBytes } from 'node:crypto';
import { backupDrivers } from './support/backup-drivers';
import { startStrata, type RunningStrata } from './support/strata-app';
import { digestOf, imageOf, writeAt } from './support/volume-image';

const MiB = 1024 * 1024;

describe.each(backupDrivers())('a 1 GiB volume backed up, incrementally backed up and restored over HTTP ($name)', (driver) => {
  let strata: RunningStrata;
  beforeAll(async () => {
    strata = await startStrata(driver.env(64 * MiB));
  });
  afterAll(async () => {
    await strata?.close();
    await driver.cleanup();
  });

  it('restores each backup of the chain byte for byte, and deletes them newest first', async () => {
    const { client } = strata;
    const volume = await client.createVolume(1, 'data');
    const image = imageOf(strata, volume.id);
    await writeAt(image, 0, randomBytes(3 * MiB));
    await writeAt(image, 200 * MiB, Buffer.alloc(MiB, 'strata '));
    const fullDigest = await digestOf(image);

    const full = await client.createBackup(volume.id, { name: 'full' });
    expect(full).toMatchObject({ status: 'available', fail_reason: null, is_incremental: false, volume_id: volume.id, size: 1 });
    expect(full.object_count).toBeGreaterThan(0);
    expect(await driver.objectsOf(strata, full.id)).toHaveLength(full.object_count + 2);
    expect((await client.get(`/v3/volumes/${volume.id}`)).body.volume.status).toBe('available');

    // About 1% of the volume's 32 KiB blocks, scattered.
    for (let i = 0; i < 320; i++) await writeAt(image, ((i * 3203 + 17) % 32768) * 32 * 1024, randomBytes(32 * 1024));
    const incrementalDigest = await digestOf(image);
    const incremental = await client.createBackup(volume.id, { name: 'incr', incremental: true });
    expect(incremental).toMatchObject({ status: 'available', fail_reason: null, is_incremental: true });
    expect(incremental.object_count).toBeGreaterThan(0);
    expect(incremental.object_count).toBeLessThanOrEqual(320);
    expect((await client.get(`/v3/backups/${full.id}`)).body.backup.has_dependent_backups).toBe(true);

    const restoreFull = await client.post(`/v3/backups/${full.id}/restore`, { restore: { name: 'from-full' } });
    expect(restoreFull.status).toBe(202);
    expect(restoreFull.body.restore).toMatchObject({ backup_id: full.id, volume_name: 'from-full' });
    const target = restoreFull.body.restore.volume_id;
    await client.waitFor(`/v3/volumes/${target}`, (b: any) => b.volume.status === 'available');
    await client.waitFor(`/v3/backups/${full.id}`, (b: any) => b.backup.status === 'available');
    expect(await digestOf(imageOf(strata, target))).toBe(fullDigest);

    const restoreIncr = await client.post(`/v3/backups/${incremental.id}/restore`, { restore: null });
    expect(restoreIncr.status).toBe(202);
    const newTarget = restoreIncr.body.restore.volume_id;
    await client.waitFor(`/v3/volumes/${newTarget}`, (b: any) => b.volume.status === 'available');
    expect(await digestOf(imageOf(strata, newTarget))).toBe(incrementalDigest);

    // Onto the volume that holds the full backup's bytes: every changed block is laid on top.
    expect((await client.post(`/v3/backups/${incremental.id}/restore`, { restore: { volume_id: target } })).status).toBe(202);
    await client.waitFor(`/v3/volumes/${target}`, (b: any) => b.volume.status === 'available');
    expect(await digestOf(imageOf(strata, target))).toBe(incrementalDigest);

    const refused = await client.delete(`/v3/backups/${full.id}`);
    expect(refused).toMatchObject({
      status: 400,
      body: { badRequest: { code: 400, message: 'Invalid backup: Incremental backups exist for this backup.' } },
    });

    expect((await client.delete(`/v3/backups/${incremental.id}`)).status).toBe(202);
    await client.waitFor(`/v3/backups/detail`, (b: any) => !b.backups.some((x: any) => x.id === incremental.id));
    expect((await client.delete(`/v3/backups/${full.id}`)).status).toBe(202);
    await client.waitFor(`/v3/backups/detail`, (b: any) => b.backups.length === 0);
    expect((await client.get(`/v3/backups/${full.id}`)).status).toBe(404);
    expect(await driver.objectsOf(strata, full.id)).toEqual([]);
    expect(await driver.objectsOf(strata, incremental.id)).toEqual([]);
  }, 300_000);

  it('answers the version document on / (300) and /v3 (200)', async () => {
    const root = await strata.client.get('/');
    expect(root.status).toBe(300);
    expect(root.body.versions[0]).toMatchObject({ id: 'v3.0', status: 'CURRENT', version: '3.70', min_version: '3.0' });
    expect((await strata.client.get('/v3')).status).toBe(200);
  });
});
