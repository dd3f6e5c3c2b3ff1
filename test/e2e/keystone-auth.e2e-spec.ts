import { readdirSync, readFileSync } from 'node:fs';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { FaultProxy } from '../support/fault-proxy';
import { issueToken, keystoneAuthtokenEnv, KEYSTONE_URL, revokeToken, startKeystone, USERS, type IssuedToken } from '../support/keystone';
import { captureLog } from './support/captured-log';
import { startStrata, type RunningStrata } from './support/strata-app';

/**
 * `auth_strategy = keystone` over HTTP, against the real Keystone of scripts/keystone.sh: who may do what
 * comes from Keystone's roles and project scope through Cinder's default policies; a token Keystone does
 * not vouch for is keystonemiddleware's 401; an outage of Keystone is a 503 for new tokens only.
 */
const logged = captureLog();

const filesUnder = (root: string): string[] =>
  readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

beforeAll(() => startKeystone(), 180_000);

describe('roles and project scope from Keystone', () => {
  let strata: RunningStrata;
  let alice: IssuedToken, bob: IssuedToken, carol: IssuedToken, dave: IssuedToken;
  let volumeId: string;
  let backupId: string;
  const as = (t: IssuedToken) => strata.client.as({ 'X-Auth-Token': t.token });

  beforeAll(async () => {
    strata = await startStrata({ ...keystoneAuthtokenEnv(), STRATA_LOG_LEVEL: 'debug' });
    [alice, bob, carol, dave] = await Promise.all([USERS.alice, USERS.bob, USERS.carol, USERS.dave].map((u) => issueToken(u)));
    volumeId = (await as(alice).createVolume(1, 'alice-vol')).id;
    backupId = (await as(alice).createBackup(volumeId, { name: 'alice-full' })).id;
  }, 120_000);
  afterAll(async () => strata?.close());

  it('records the Keystone user and project of the caller (alice, member of demo)', async () => {
    // user_id and the project attribute are shown to admins only: dave is admin of demo.
    const res = await as(dave).get(`/v3/backups/${backupId}`, { 'OpenStack-API-Version': 'volume 3.56' });
    expect(res.status).toBe(200);
    expect(res.body.backup).toMatchObject({
      id: backupId,
      status: 'available',
      user_id: alice.userId,
      'os-backup-project-attr:project_id': alice.projectId,
    });
    expect((await as(alice).get(`/v3/${alice.projectId}/backups/${backupId}`)).status).toBe(200);
  });

  it("hides demo's backups and volumes from a member of another project (carol)", async () => {
    expect((await as(carol).get(`/v3/backups/${backupId}`)).status).toBe(404);
    expect((await as(carol).get(`/v3/volumes/${volumeId}`)).status).toBe(404);
    expect((await as(carol).get('/v3/backups/detail')).body.backups).toEqual([]);
    expect((await as(carol).post('/v3/backups', { backup: { volume_id: volumeId } })).status).toBe(404);
    // Naming demo in the URL with carol's token is Cinder's malformed URL, not a way in.
    expect((await as(carol).get(`/v3/${alice.projectId}/backups`)).status).toBe(400);
  });

  it('lets a reader of demo (bob) read but not create or delete', async () => {
    expect((await as(bob).get(`/v3/backups/${backupId}`)).status).toBe(200);
    expect(await as(bob).post('/v3/backups', { backup: { volume_id: volumeId } })).toMatchObject({
      status: 403,
      body: { forbidden: { code: 403, message: "Policy doesn't allow backup:create to be performed." } },
    });
    expect((await as(bob).delete(`/v3/backups/${backupId}`)).status).toBe(403);
  });

  it('keeps admin actions from members and grants them to an admin (dave)', async () => {
    const reset = { 'os-reset_status': { status: 'available' } };
    expect((await as(alice).post(`/v3/backups/${backupId}/action`, reset)).status).toBe(403);
    expect((await as(dave).post(`/v3/backups/${backupId}/action`, reset)).status).toBe(202);
    const all = await as(dave).get('/v3/backups/detail?all_tenants=True');
    expect(all.body.backups.map((b: { id: string }) => b.id)).toContain(backupId);
    expect((await as(carol).get('/v3/backups/detail?all_tenants=True')).body.backups).toEqual([]);
  });

  it("answers a missing or unknown token with keystonemiddleware's 401 and where to authenticate", async () => {
    for (const headers of [{}, { 'X-Auth-Token': 'not-a-token' }] as Record<string, string>[]) {
      const res = await strata.client.as(headers).get('/v3/backups');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(`Keystone uri="${KEYSTONE_URL}"`);
      expect(res.body).toEqual({
        error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' },
      });
    }
    // Version discovery answers without a token, as Cinder's does.
    expect((await strata.client.as({}).get('/')).status).toBeLessThan(400);
  });

  it('puts no token in its log or in its state (event log, catalog)', async () => {
    const tokens = [alice, bob, carol, dave].map((t) => t.token);
    expect(logged.filter((line) => tokens.some((t) => line.includes(t) || line.includes(t.slice(0, 40))))).toEqual([]);
    expect(logged.some((line) => line.includes(alice.userId))).toBe(true);
    for (const file of filesUnder(strata.stateDir)) {
      const bytes = readFileSync(file);
      for (const t of tokens) expect({ file, containsToken: bytes.includes(t.slice(0, 40)) }).toEqual({ file, containsToken: false });
    }
  });
});

describe('revocation', () => {
  let strata: RunningStrata;
  afterEach(async () => strata?.close());

  it('refuses a revoked token once token_cache_time has passed', async () => {
    strata = await startStrata(keystoneAuthtokenEnv({ token_cache_time: '1' }));
    const alice = await issueToken(USERS.alice);
    const client = strata.client.as({ 'X-Auth-Token': alice.token });
    expect((await client.get('/v3/backups')).status).toBe(200);
    await revokeToken(alice.token);
    const deadline = Date.now() + 30_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await client.get('/v3/backups')).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(401);
  });

  it('refuses a revoked token at once when the cache is off (token_cache_time = -1)', async () => {
    strata = await startStrata(keystoneAuthtokenEnv({ token_cache_time: '-1' }));
    const alice = await issueToken(USERS.alice);
    const client = strata.client.as({ 'X-Auth-Token': alice.token });
    expect((await client.get('/v3/backups')).status).toBe(200);
    await revokeToken(alice.token);
    expect((await client.get('/v3/backups')).status).toBe(401);
  });
});

describe('Keystone outage', () => {
  let strata: RunningStrata;
  let proxy: FaultProxy;
  afterEach(async () => {
    await strata?.close();
    await proxy?.close().catch(() => undefined);
  });

  it('keeps cached tokens working and answers 503 for new ones', async () => {
    proxy = await FaultProxy.start(KEYSTONE_URL.replace(/\/v3$/, ''));
    // No identity endpoint in this region: Strata validates at auth_url, which is the proxy.
    strata = await startStrata(
      keystoneAuthtokenEnv({ auth_url: `${proxy.url}/v3`, region_name: 'NoIdentityHere', http_request_max_retries: '1' }),
    );
    const [alice, bob] = await Promise.all([issueToken(USERS.alice), issueToken(USERS.bob)]);
    expect((await strata.client.as({ 'X-Auth-Token': alice.token }).get('/v3/backups')).status).toBe(200);
    expect(proxy.seen.some((r) => r.startsWith('GET /v3/auth/tokens'))).toBe(true);
    await proxy.close();
    expect((await strata.client.as({ 'X-Auth-Token': alice.token }).get('/v3/backups')).status).toBe(200);
    const res = await strata.client.as({ 'X-Auth-Token': bob.token }).get('/v3/backups');
    expect(res).toMatchObject({
      status: 503,
      body: { error: { code: 503, title: 'Service Unavailable', message: 'The Keystone service is temporarily unavailable.' } },
    });
  });

  it('answers 503 instead of waiting on a Keystone that accepts connections and never answers', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v3`;
    try {
      strata = await startStrata(keystoneAuthtokenEnv({ auth_url: url, http_connect_timeout: '1' }));
      const bob = await issueToken(USERS.bob);
      expect((await strata.client.as({ 'X-Auth-Token': bob.token }).get('/v3/backups')).status).toBe(503);
    } finally {
      silent.close();
      // closeAllConnections does not exist on net.Server: the sockets go with Strata's aborted requests.
    }
  });
});
