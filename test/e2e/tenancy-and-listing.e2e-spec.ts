import { manageFile } from './support/managed-file';
import { startStrataWithTokens, type RunningStrata } from './support/strata-app';

const tokens = {
  'admin-tok': { user_id: 'root', project_id: 'ops', roles: ['admin'] },
  'alice-tok': { user_id: 'alice', project_id: 'project-a', roles: ['member', 'reader'] },
  'bob-tok': { user_id: 'bob', project_id: 'project-b', roles: ['member', 'reader'] },
  'carol-tok': { user_id: 'carol', project_id: 'project-a', roles: ['reader'] },
};

describe('tenancy, policies and listings with a token file', () => {
  let strata: RunningStrata;
  const as = (token: string) => strata.client.as({ 'X-Auth-Token': token });
  const alice = () => as('alice-tok');
  const bob = () => as('bob-tok');
  const admin = () => as('admin-tok');
  let volumeId: string;
  let fullId: string;

  beforeAll(async () => {
    strata = await startStrataWithTokens(tokens);
    // Managing is admin-only; the admin registers a file for project-a by acting in that project's URL.
    const volume = await alice().post('/v3/volumes', { volume: { size: 1, name: 'alice-vol' } });
    volumeId = volume.body.volume.id;
    await alice().waitFor(`/v3/volumes/${volumeId}`, (b: any) => b.volume.status === 'available');
    fullId = (await alice().createBackup(volumeId, { name: 'alice-full' })).id;
  }, 120_000);
  afterAll(async () => strata?.close());

  it('refuses a request without a known token', async () => {
    const res = await strata.client.as({ 'X-Auth-Token': 'nobody' }).get('/v3/backups');
    expect(res).toMatchObject({ status: 401, body: { unauthorized: { code: 401 } } });
  });

  it("answers 404 for another project's backup and volume, and leaves them out of lists", async () => {
    expect((await bob().get(`/v3/backups/${fullId}`)).status).toBe(404);
    expect((await bob().get(`/v3/volumes/${volumeId}`)).status).toBe(404);
    expect((await bob().delete(`/v3/backups/${fullId}`)).status).toBe(404);
    expect((await bob().get('/v3/backups/detail?all_tenants=True')).body.backups).toEqual([]);
    expect((await bob().post('/v3/backups', { backup: { volume_id: volumeId } })).status).toBe(404);
  });

  it('shows every project to an admin who asks for all tenants, with the project attribute from 3.18', async () => {
    const mine = await admin().get('/v3/backups/detail');
    expect(mine.body.backups).toEqual([]);
    for (const flag of ['True', '1', 'true']) {
      const all = await admin().get(`/v3/backups/detail?all_tenants=${flag}`, { 'OpenStack-API-Version': 'volume 3.18' });
      expect(all.body.backups.map((b: any) => b.id)).toContain(fullId);
      expect(all.body.backups.find((b: any) => b.id === fullId)['os-backup-project-attr:project_id']).toBe('project-a');
    }
    expect((await admin().get('/v3/backups/detail?all_tenants=maybe')).status).toBe(400);
  });

  it("applies Cinder's default policies to readers and members", async () => {
    expect(await as('carol-tok').post('/v3/backups', { backup: { volume_id: volumeId } })).toMatchObject({
      status: 403,
      body: { forbidden: { code: 403, message: "Policy doesn't allow backup:create to be performed." } },
    });
    expect((await as('carol-tok').get(`/v3/backups/${fullId}`)).status).toBe(200);
    expect(await alice().post(`/v3/backups/${fullId}/action`, { 'os-reset_status': { status: 'error' } })).toMatchObject({
      status: 403,
      body: { forbidden: { message: "Policy doesn't allow volume_extension:backup_admin_actions:reset_status to be performed." } },
    });
    expect((await alice().post('/v3/os-volume-manage', { volume: { host: 'h', ref: { 'source-name': '/tmp/x' } } })).status).toBe(403);
    expect((await alice().get(`/v3/backups/${fullId}`, { 'OpenStack-API-Version': 'volume 3.56' })).body.backup.user_id).toBeUndefined();
  });

  it('derives has_dependent_backups from live, completed children', async () => {
    expect((await alice().get(`/v3/backups/${fullId}`)).body.backup.has_dependent_backups).toBe(false);
    const incremental = await alice().createBackup(volumeId, { incremental: true, name: 'alice-incr' });
    expect(incremental).toMatchObject({ status: 'available', is_incremental: true });
    expect((await alice().get(`/v3/backups/${fullId}`)).body.backup.has_dependent_backups).toBe(true);
    expect((await alice().delete(`/v3/backups/${incremental.id}`)).status).toBe(202);
    await alice().waitFor(`/v3/backups/${fullId}`, (b: any) => b.backup.has_dependent_backups === false);
  });

  it('pages with limit and marker, counts from 3.45 and sorts by name from 3.37', async () => {
    const { volume } = await manageFile(admin(), strata.managedDir, 1, 'paged');
    for (const name of ['c', 'a', 'b']) await admin().createBackup(volume.id, { name });
    const mv = { 'OpenStack-API-Version': 'volume 3.45' };
    const first = await admin().get('/v3/backups/detail?limit=2&with_count=true&sort=created_at:asc', mv);
    expect(first.body.count).toBe(3);
    expect(first.body.backups.map((b: any) => b.name)).toEqual(['c', 'a']);
    const next = new URL(first.body.backups_links[0].href);
    expect(next.searchParams.get('marker')).toBe(first.body.backups[1].id);
    const second = await admin().get(`${next.pathname}${next.search}`, mv);
    expect(second.body.backups.map((b: any) => b.name)).toEqual(['b']);
    expect((await admin().get('/v3/backups?sort=name:asc')).status).toBe(400);
    const byName = await admin().get('/v3/backups?sort=name:asc', { 'OpenStack-API-Version': 'volume 3.37' });
    expect(byName.body.backups.map((b: any) => b.name)).toEqual(['a', 'b', 'c']);
    expect(byName.body.backups[0]).toEqual({ id: expect.any(String), name: 'a', links: expect.any(Array) });
    const filtered = await admin().get('/v3/backups/detail?name=b');
    expect(filtered.body.backups.map((b: any) => b.name)).toEqual(['b']);
    expect((await admin().get('/v3/backups/detail?limit=-1')).body).toEqual({
      badRequest: { code: 400, message: 'limit param must be positive' },
    });
    expect((await admin().get('/v3/backups/detail?marker=00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('refuses filters a member may not use, from 3.31', async () => {
    const res = await alice().get('/v3/backups/detail?container=x', { 'OpenStack-API-Version': 'volume 3.31' });
    expect(res).toMatchObject({ status: 400, body: { badRequest: { message: 'Invalid filters container are found in query options.' } } });
  });
});
