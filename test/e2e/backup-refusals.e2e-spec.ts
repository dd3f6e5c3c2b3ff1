import { manageFile } from './support/managed-file';
import { startStrata, type RunningStrata } from './support/strata-app';

/** Cinder's attach schema wants an instance uuid and a mountpoint. */
const INSTANCE = '1e000000-0000-4000-8000-000000000001';

const fault = (code: number, message: string) => {
  const name = { 400: 'badRequest', 403: 'forbidden', 404: 'itemNotFound' }[code as 400 | 403 | 404];
  return { status: code, body: { [name]: { code, message } } };
};

describe("backup refusals, with Cinder's status codes and messages", () => {
  let strata: RunningStrata;
  beforeAll(async () => {
    strata = await startStrata();
  });
  afterAll(async () => strata?.close());
  const client = () => strata.client;

  it('refuses a volume that does not exist', async () => {
    const res = await client().post('/v3/backups', { backup: { volume_id: '00000000-1111-4222-8333-444444444444' } });
    expect(res).toMatchObject(fault(404, 'Volume 00000000-1111-4222-8333-444444444444 could not be found.'));
  });

  it('refuses an incremental when the volume has no available backup', async () => {
    const { volume } = await manageFile(client(), strata.managedDir);
    const res = await client().post('/v3/backups', { backup: { volume_id: volume.id, incremental: true } });
    expect(res).toMatchObject(fault(400, 'Invalid backup: No backups available to do an incremental backup.'));
    expect((await client().get(`/v3/volumes/${volume.id}`)).body.volume.status).toBe('available');
  });

  it('refuses an in-use volume without force, and backs it up with force', async () => {
    const { volume } = await manageFile(client(), strata.managedDir);
    expect(
      (await client().post(`/v3/volumes/${volume.id}/action`, { 'os-attach': { instance_uuid: INSTANCE, mountpoint: '/dev/vdb' } })).status,
    ).toBe(202);
    const refused = await client().post('/v3/backups', { backup: { volume_id: volume.id } });
    expect(refused).toMatchObject(fault(400, 'Invalid volume: Backing up an in-use volume must use the force flag.'));
    const forced = await client().createBackup(volume.id, { force: true });
    expect(forced.status).toBe('available');
    expect((await client().get(`/v3/volumes/${volume.id}`)).body.volume.status).toBe('in-use');
  });

  it('lets one of two simultaneous backups of a volume through, and refuses the other', async () => {
    const { volume } = await manageFile(client(), strata.managedDir, 8);
    const [a, b] = await Promise.all([0, 1].map(() => client().post('/v3/backups', { backup: { volume_id: volume.id } })));
    expect([a.status, b.status].sort()).toEqual([202, 400]);
    const loser = a.status === 400 ? a : b;
    expect(loser.body.badRequest.message).toBe(
      'Invalid volume: Volume to be backed up must be available or in-use, but the current status is "backing-up".',
    );
    const winner = a.status === 202 ? a : b;
    await client().waitFor(`/v3/backups/${winner.body.backup.id}`, (x: any) => x.backup.status === 'available');
    expect((await client().get(`/v3/volumes/${volume.id}`)).body.volume.status).toBe('available');
  });

  it('refuses to restore into a volume smaller than the backup, or one that is not available', async () => {
    const { volume } = await manageFile(client(), strata.managedDir);
    const backup = await client().createBackup(volume.id);
    const big = await client().createVolume(2, 'big');
    const small = await client().post(`/v3/backups/${backup.id}/restore`, { restore: { volume_id: volume.id } });
    expect(small.status).toBe(202); // same size: accepted
    await client().waitFor(`/v3/backups/${backup.id}`, (x: any) => x.backup.status === 'available');
    const bigBackup = await client().createBackup(big.id);
    const tooSmall = await client().post(`/v3/backups/${bigBackup.id}/restore`, { restore: { volume_id: volume.id } });
    expect(tooSmall).toMatchObject(fault(400, 'Invalid volume: volume size 1 is too small to restore backup of size 2.'));
    await client().post(`/v3/volumes/${big.id}/action`, { 'os-attach': { instance_uuid: INSTANCE, mountpoint: '/dev/vdc' } });
    const inUse = await client().post(`/v3/backups/${backup.id}/restore`, { restore: { volume_id: big.id } });
    expect(inUse).toMatchObject(fault(400, 'Invalid volume: Volume to be restored to must be available'));
    expect((await client().get(`/v3/backups/${backup.id}`)).body.backup.status).toBe('available');
  }, 240_000);

  it('resets a status only to available or error, case-insensitively', async () => {
    const { volume } = await manageFile(client(), strata.managedDir);
    const backup = await client().createBackup(volume.id);
    const bad = await client().post(`/v3/backups/${backup.id}/action`, { 'os-reset_status': { status: 'restoring' } });
    expect(bad).toMatchObject(fault(400, "Backup status: restoring is invalid, valid statuses are: ['available', 'error']."));
    expect((await client().post(`/v3/backups/${backup.id}/action`, { 'os-reset_status': { status: 'ERROR' } })).status).toBe(202);
    expect((await client().get(`/v3/backups/${backup.id}`)).body.backup.status).toBe('error');
    const tooMany = await client().post(`/v3/backups/${backup.id}/action`, {
      'os-reset_status': { status: 'error' },
      'os-force_delete': {},
    });
    // The action is the first key (Cinder's wsgi); its schema then refuses the other.
    expect(tooMany).toMatchObject(fault(400, "Additional properties are not allowed ('os-force_delete' was unexpected)"));
  });

  it("force-deletes a backup, with cinderclient's null body", async () => {
    const { volume } = await manageFile(client(), strata.managedDir);
    const backup = await client().createBackup(volume.id);
    expect((await client().post(`/v3/backups/${backup.id}/action`, { 'os-force_delete': null })).status).toBe(202);
    await client().waitFor('/v3/backups/detail', (x: any) => !x.backups.some((b: any) => b.id === backup.id));
    expect((await client().get(`/v3/backups/${backup.id}`)).status).toBe(404);
  });

  it('updates name and metadata only from microversion 3.9 and 3.43', async () => {
    const { volume } = await manageFile(client(), strata.managedDir);
    const backup = await client().createBackup(volume.id, { name: 'before' });
    expect((await client().put(`/v3/backups/${backup.id}`, { backup: { name: 'after' } })).status).toBe(404);
    const mv = { 'OpenStack-API-Version': 'volume 3.43' };
    const res = await client().put(`/v3/backups/${backup.id}`, { backup: { name: 'after', metadata: { k: 'v' } } }, mv);
    expect(res).toMatchObject({ status: 200, body: { backup: { id: backup.id, name: 'after' } } });
    expect((await client().get(`/v3/backups/${backup.id}`, mv)).body.backup).toMatchObject({ name: 'after', metadata: { k: 'v' } });
    expect((await client().get(`/v3/backups/${backup.id}`)).body.backup.metadata).toBeUndefined();
  });

  it('answers bad input with a fault body, never a stack', async () => {
    const { volume } = await manageFile(client(), strata.managedDir);
    expect(await client().request('POST', '/v3/backups', '{"backup": {')).toMatchObject({ status: 400 });
    expect(await client().post('/v3/backups', { backup: { volume_id: volume.id, colour: 'red' } })).toMatchObject(
      fault(
        400,
        `Invalid input for field/attribute backup. Value: {'volume_id': '${volume.id}', 'colour': 'red'}. Additional properties are not allowed ('colour' was unexpected)`,
      ),
    );
    expect(await client().post('/v3/backups', { backup: { volume_id: 'nope' } })).toMatchObject(
      fault(400, "Invalid input for field/attribute volume_id. Value: nope. 'nope' is not a 'uuid'"),
    );
    expect(await client().post('/v3/backups', { backup: { volume_id: volume.id, incremental: 'maybe' } })).toMatchObject({ status: 400 });
    expect(await client().request('POST', '/v3/backups', 'null')).toMatchObject(fault(400, "None is not of type 'object'"));
    const huge = await client().post('/v3/backups', { backup: { volume_id: volume.id, description: 'x'.repeat(200_000) } });
    expect(huge).toMatchObject({ status: 413, body: { overLimit: { code: 413, message: 'Request is too large.' } } });
  });
});
