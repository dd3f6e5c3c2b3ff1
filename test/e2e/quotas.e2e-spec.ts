import { unlinkSync } from 'node:fs';
import { exportRecord, importRecord } from './support/backup-records';
import { manageFile } from './support/managed-file';
import { startStrata, startStrataWithTokens, type RunningStrata } from './support/strata-app';

/** Cinder's defaults written in strata.conf's way, small enough to reach. */
const QUOTAS = {
  STRATA_QUOTA_VOLUMES: '20',
  STRATA_QUOTA_SNAPSHOTS: '10',
  STRATA_QUOTA_GIGABYTES: '100',
  STRATA_QUOTA_BACKUPS: '10',
  STRATA_QUOTA_BACKUP_GIGABYTES: '50',
};

// Each case waits for a few real backups and their settlement.
jest.setTimeout(300_000);

describe('quotas over HTTP', () => {
  let strata: RunningStrata;
  beforeAll(async () => {
    strata = await startStrata(QUOTAS);
  });
  afterAll(async () => strata?.close());

  const admin = () => strata.client;
  const member = (project: string) => strata.client.as({ 'X-Auth-Token': `user:${project}` });
  const setQuota = async (project: string, quotaSet: Record<string, number>) =>
    expect((await admin().put(`/v3/project-a/os-quota-sets/${project}`, { quota_set: quotaSet })).status).toBe(200);
  const usageOf = async (project: string) => (await admin().get(`/v3/project-a/os-quota-sets/${project}?usage=true`)).body.quota_set;
  /** Waits until the project's usage shows `expected` (the worker settles a claim once the outcome is in the catalog). */
  const usageReaches = (project: string, expected: Record<string, { in_use: number; reserved: number }>) =>
    admin().waitFor(`/v3/project-a/os-quota-sets/${project}?usage=true`, (b: any) =>
      Object.entries(expected).every(([r, u]) => b.quota_set[r].in_use === u.in_use && b.quota_set[r].reserved === u.reserved),
    );

  it("shows strata.conf's quota_* as every project's defaults, and the default quota class over them", async () => {
    expect((await admin().get('/v3/project-a/os-quota-sets/project-q1')).body).toEqual({
      quota_set: { volumes: 20, snapshots: 10, gigabytes: 100, backups: 10, backup_gigabytes: 50, id: 'project-q1' },
    });
    expect((await admin().get('/v3/project-a/os-quota-sets/project-q1/defaults')).body.quota_set).toMatchObject({ backups: 10 });
    expect((await admin().get('/v3/project-a/os-quota-class-sets/default')).body).toEqual({
      quota_class_set: { volumes: 20, snapshots: 10, gigabytes: 100, backups: 10, backup_gigabytes: 50, id: 'default' },
    });

    const changed = await admin().put('/v3/project-a/os-quota-class-sets/default', { quota_class_set: { snapshots: '12' } });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ quota_class_set: { volumes: 20, snapshots: 12, gigabytes: 100, backups: 10, backup_gigabytes: 50 } });
    expect((await admin().get('/v3/project-a/os-quota-sets/project-q1')).body.quota_set.snapshots).toBe(12);
    expect((await admin().get('/v3/project-a/os-quota-sets/project-q1/defaults')).body.quota_set.snapshots).toBe(12);
    await admin().put('/v3/project-a/os-quota-class-sets/default', { quota_class_set: { snapshots: 10 } });
  });

  it("updates and deletes a project's own quotas, and refuses what Cinder refuses with Cinder's words", async () => {
    const put = (body: unknown) => admin().put('/v3/project-a/os-quota-sets/project-q2', body);
    const updated = await put({ quota_set: { tenant_id: 'project-q2', backups: 3, volumes: '-1' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({ quota_set: { volumes: -1, snapshots: 10, gigabytes: 100, backups: 3, backup_gigabytes: 50 } });

    const refusals: [unknown, string][] = [
      [{ quota_set: { backups: 'many' } }, 'backups must be an integer'],
      [{ quota_set: { backups: -2 } }, 'backups must be >= -1'],
      [{ quota_set: { backups: 2147483648 } }, 'backups must be <= 2147483647'],
      [{ quota_set: { groups: 1, backups: 1 } }, 'Invalid input received: Bad key(s) in quota set: groups'],
      [{ quota_set: {} }, 'Invalid input for field/attribute quota_set. Value: {}. {} does not have enough properties'],
      [{}, "'quota_set' is a required property"],
      [{ quota_set: { backups: 1 }, extra: 1 }, "Additional properties are not allowed ('extra' was unexpected)"],
    ];
    for (const [body, message] of refusals) expect((await put(body)).body).toEqual({ badRequest: { code: 400, message } });
    expect((await admin().put('/v3/project-a/os-quota-class-sets/default', { quota_class_set: { backups: '-1' } })).body).toEqual({
      badRequest: { code: 400, message: "Invalid input for field/attribute backups. Value: -1. '-1' does not match '^[0-9]*$'" },
    });

    expect((await admin().get('/v3/project-a/os-quota-sets/project-q2?usage=maybe')).body).toEqual({
      badRequest: { code: 400, message: "Value 'maybe' for 'usage' is not a boolean." },
    });

    expect((await admin().delete('/v3/project-a/os-quota-sets/project-q2')).status).toBe(200);
    expect((await admin().get('/v3/project-a/os-quota-sets/project-q2')).body.quota_set).toMatchObject({ backups: 10, volumes: 20 });
  });

  it('refuses a backup over the backups quota with a 413 and leaves no trace of it; usage follows success, failure and deletion', async () => {
    const client = member('project-q3');
    await setQuota('project-q3', { backups: 2 });
    const volumes = [];
    for (let i = 0; i < 3; i++) volumes.push(await client.createVolume(1, `q3-${i}`));
    const first = await client.createBackup(volumes[0].id);
    const second = await client.createBackup(volumes[1].id);
    expect([first.status, second.status]).toEqual(['available', 'available']);

    const third = await client.post('/v3/backups', { backup: { volume_id: volumes[2].id, name: 'over' } });
    expect(third.status).toBe(413);
    expect(third.headers.get('retry-after')).toBe('0');
    expect(third.body).toEqual({ overLimit: { code: 413, message: 'Maximum number of backups allowed (2) exceeded' } });
    // The refused backup was never listed and its volume is free again.
    expect((await client.get('/v3/backups')).body.backups.map((b: any) => b.name).sort()).toEqual([first.name, second.name].sort());
    expect((await client.get(`/v3/volumes/${volumes[2].id}`)).body.volume.status).toBe('available');

    await usageReaches('project-q3', {
      backups: { in_use: 2, reserved: 0 },
      backup_gigabytes: { in_use: 2, reserved: 0 },
      volumes: { in_use: 3, reserved: 0 },
    });
    expect((await usageOf('project-q3')).backups).toEqual({ limit: 2, in_use: 2, reserved: 0, allocated: 0 });
    expect((await client.get('/v3/project-q3/limits')).body).toEqual({
      limits: {
        rate: [],
        absolute: {
          maxTotalVolumes: 20,
          maxTotalSnapshots: 10,
          maxTotalVolumeGigabytes: 100,
          maxTotalBackups: 2,
          maxTotalBackupGigabytes: 50,
          totalVolumesUsed: 3,
          totalGigabytesUsed: 3,
          totalSnapshotsUsed: 0,
          totalBackupsUsed: 2,
          totalBackupGigabytesUsed: 2,
        },
      },
    });

    // A limit below what is used is refused, as Cinder refuses it.
    expect((await admin().put('/v3/project-a/os-quota-sets/project-q3', { quota_set: { backups: 1 } })).body).toEqual({
      badRequest: {
        code: 400,
        message: 'Quota backups limit must be equal or greater than existing resources. Current usage is 2 and the requested limit is 1.',
      },
    });

    // A deleted backup gives its share back: the third one now fits.
    expect((await client.delete(`/v3/backups/${first.id}`)).status).toBe(202);
    await usageReaches('project-q3', { backups: { in_use: 1, reserved: 0 } });
    const fits = await client.createBackup(volumes[2].id);
    expect(fits.status).toBe('available');
    await usageReaches('project-q3', { backups: { in_use: 2, reserved: 0 } });
  });

  it('gives a failed backup its reservation back', async () => {
    const client = member('project-q4');
    await setQuota('project-q4', { backups: 1 });
    const { volume, path } = await manageFile(client, strata.managedDir, 1, 'q4-vanishing');
    unlinkSync(path);
    const failed = await client.createBackup(volume.id, {}, 'error');
    expect(failed.status).toBe('error');
    await usageReaches('project-q4', { backups: { in_use: 0, reserved: 0 } });
    const other = await client.createVolume(1, 'q4-other');
    expect((await client.createBackup(other.id)).status).toBe('available');
  });

  it("refuses a backup larger than what is left of backup_gigabytes with Cinder's size message", async () => {
    const client = member('project-q5');
    await setQuota('project-q5', { backup_gigabytes: 3 });
    const small = await client.createVolume(1, 'q5-small');
    const large = await client.createVolume(3, 'q5-large');
    expect((await client.createBackup(small.id)).status).toBe('available');
    expect((await client.post('/v3/backups', { backup: { volume_id: large.id } })).body).toEqual({
      overLimit: {
        code: 413,
        message: 'Requested backup exceeds allowed Backup gigabytes quota. Requested 3G, quota is 3G and 1G has been consumed.',
      },
    });
  });

  it('counts volumes, snapshots, restores into new volumes and imported records, and refuses them over quota', async () => {
    const client = member('project-q6');
    await setQuota('project-q6', { volumes: 2, snapshots: 1 });
    const v1 = await client.createVolume(1, 'q6-1');
    await client.createVolume(1, 'q6-2');
    const overVolumes = { overLimit: { code: 413, message: "Maximum number of volumes allowed (2) exceeded for quota 'volumes'." } };
    expect((await client.post('/v3/volumes', { volume: { size: 1, name: 'q6-3' } })).body).toEqual(overVolumes);
    expect((await client.get('/v3/volumes')).body.volumes.map((v: any) => v.name).sort()).toEqual(['q6-1', 'q6-2']);

    const snapshot = await client.post('/v3/snapshots', { snapshot: { volume_id: v1.id, name: 's1' } });
    expect(snapshot.status).toBe(202);
    await client.waitFor(`/v3/snapshots/${snapshot.body.snapshot.id}`, (b: any) => b.snapshot.status === 'available');
    expect((await client.post('/v3/snapshots', { snapshot: { volume_id: v1.id, name: 's2' } })).body).toEqual({
      overLimit: { code: 413, message: 'Maximum number of snapshots allowed (1) exceeded' },
    });
    expect((await client.get('/v3/snapshots')).body.snapshots.map((x: any) => x.name)).toEqual(['s1']);

    // A restore into a new volume creates a volume: over the volumes quota, Cinder's 413 and no volume.
    const backup = await client.createBackup(v1.id);
    expect((await client.post(`/v3/backups/${backup.id}/restore`, { restore: { name: 'q6-restored' } })).body).toEqual(overVolumes);
    await usageReaches('project-q6', {
      volumes: { in_use: 2, reserved: 0 },
      gigabytes: { in_use: 3, reserved: 0 },
      snapshots: { in_use: 1, reserved: 0 },
      backups: { in_use: 1, reserved: 0 },
    });

    // An imported record counts as a backup from its import on.
    const record = await exportRecord(client, backup.id);
    expect((await client.delete(`/v3/backups/${backup.id}`)).status).toBe(202);
    await usageReaches('project-q6', { backups: { in_use: 0, reserved: 0 } });
    expect((await importRecord(client, record)).status).toBe(201);
    await usageReaches('project-q6', { backups: { in_use: 1, reserved: 0 }, backup_gigabytes: { in_use: 1, reserved: 0 } });
  });

  it("refuses an imported record over the backups quota with Cinder's 413, and keeps no backup of it", async () => {
    const client = member('project-q7');
    const volume = await client.createVolume(1, 'q7');
    const backup = await client.createBackup(volume.id);
    const record = await exportRecord(client, backup.id);
    expect((await client.delete(`/v3/backups/${backup.id}`)).status).toBe(202);
    await usageReaches('project-q7', { backups: { in_use: 0, reserved: 0 } });
    await setQuota('project-q7', { backups: 0 });

    const refused = await importRecord(client, record);
    expect(refused.status).toBe(413);
    expect(refused.body).toEqual({ overLimit: { code: 413, message: 'Maximum number of backups allowed (0) exceeded' } });
    // The import is withdrawn: no backup is listed, nothing is reserved.
    expect((await client.get(`/v3/backups/${backup.id}`)).status).toBe(404);
    await usageReaches('project-q7', { backups: { in_use: 0, reserved: 0 }, backup_gigabytes: { in_use: 0, reserved: 0 } });
  });

  it('derives usage from the log: a catalog rebuild shows the same numbers', async () => {
    const before = await Promise.all(['project-q3', 'project-q6'].map(usageOf));
    expect((await admin().post('/strata/v1/catalog/rebuild', {})).status).toBe(200);
    expect(await Promise.all(['project-q3', 'project-q6'].map(usageOf))).toEqual(before);
  });
});

describe("quota policies (Cinder's defaults)", () => {
  let strata: RunningStrata;
  beforeAll(async () => {
    strata = await startStrataWithTokens({
      'admin-token': { user_id: 'admin', project_id: 'admin-project', roles: ['admin'] },
      'member-token': { user_id: 'member', project_id: 'project-m', roles: ['member', 'reader'] },
    });
  });
  afterAll(async () => strata?.close());
  const member = () => strata.client.as({ 'X-Auth-Token': 'member-token' });
  const admin = () => strata.client.as({ 'X-Auth-Token': 'admin-token' });

  it("lets a project reader see its own project's quotas and limits only, and only an admin change them", async () => {
    expect((await member().get('/v3/project-m/os-quota-sets/project-m?usage=true')).status).toBe(200);
    expect((await member().get('/v3/project-m/os-quota-sets/project-m/defaults')).status).toBe(200);
    expect((await member().get('/v3/project-m/limits')).status).toBe(200);
    expect((await member().get('/v3/project-m/os-quota-sets/other')).body).toEqual({
      forbidden: { code: 403, message: "Policy doesn't allow volume_extension:quotas:show to be performed." },
    });
    expect((await member().put('/v3/project-m/os-quota-sets/project-m', { quota_set: { backups: 99 } })).body).toEqual({
      forbidden: { code: 403, message: "Policy doesn't allow volume_extension:quotas:update to be performed." },
    });
    expect((await member().delete('/v3/project-m/os-quota-sets/project-m')).status).toBe(403);
    expect((await member().get('/v3/project-m/os-quota-class-sets/default')).status).toBe(403);
    expect((await member().put('/v3/project-m/os-quota-class-sets/default', { quota_class_set: { backups: 1 } })).status).toBe(403);
    expect((await admin().get('/v3/admin-project/os-quota-sets/project-m')).status).toBe(200);
    expect((await admin().put('/v3/admin-project/os-quota-sets/project-m', { quota_set: { backups: 4 } })).status).toBe(200);
    expect((await member().get('/v3/project-m/limits')).body.limits.absolute.maxTotalBackups).toBe(4);
  });
});
