import { startStrata, type RunningStrata } from './support/strata-app';

/**
 * Cinder's wsgi Resource refuses a URL whose project segment is not the caller's project (cinder/api/
 * openstack/wsgi.py `_process_stack`: "Malformed request url"), whatever the auth strategy: in noauth
 * mode the project is the token's (`user:project`, or the user alone).
 */
describe('noauth: a URL naming another project than the token', () => {
  let strata: RunningStrata;
  beforeAll(async () => {
    strata = await startStrata();
  });
  afterAll(async () => strata?.close());

  it.each([
    ['demo', '/v3/proj2/backups'],
    ['demo:demo', '/v3/proj2/backups/detail'],
    ['admin:admin', '/v3/proj2/volumes'],
    ['demo', '/v3/proj2/messages'],
    ['demo', `/v3/proj2/volumes/00000000-0000-4000-8000-000000000000/metadata`],
  ])('token %s, GET %s: 400 Malformed request url', async (token, path) => {
    const res = await strata.client.get(path, { 'X-Auth-Token': token, 'OpenStack-API-Version': 'volume 3.70' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ badRequest: { code: 400, message: 'Malformed request url' } });
  });

  it('takes the project from the token, not from X-Project-Id (which Cinder ignores)', async () => {
    const res = await strata.client.get('/v3/proj2/backups', { 'X-Auth-Token': 'demo', 'X-Project-Id': 'proj2', 'X-User-Id': 'someone' });
    expect(res.body).toEqual({ badRequest: { code: 400, message: 'Malformed request url' } });
  });

  it("answers the token's own project", async () => {
    const res = await strata.client.get('/v3/demo/backups', { 'X-Auth-Token': 'demo' });
    expect(res).toMatchObject({ status: 200, body: { backups: [] } });
  });
});
