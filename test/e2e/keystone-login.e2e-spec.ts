import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { keystoneAuthtokenEnv, startKeystone, USERS } from '../support/keystone';
import { captureLog } from './support/captured-log';
import { startStrata, type RunningStrata } from './support/strata-app';

/**
 * `POST /strata/v1/auth/tokens`, the web page's password login, against the real Keystone of
 * scripts/keystone.sh: Strata hands the credentials to Keystone's POST /v3/auth/tokens and the token
 * back; a refusal is a 401, a Keystone that cannot answer a 503 within http_connect_timeout, a body that
 * is not a login a 400, and never a 500. The password goes nowhere else.
 */
const logged = captureLog();

beforeAll(() => startKeystone(), 180_000);

const login = (over: Record<string, unknown> = {}) => ({
  username: USERS.alice.name,
  password: USERS.alice.password,
  project_name: USERS.alice.project,
  ...over,
});

describe('POST /strata/v1/auth/tokens with auth_strategy = keystone', () => {
  let strata: RunningStrata;
  const anonymous = () => strata.client.as({});

  beforeAll(async () => {
    strata = await startStrata({ ...keystoneAuthtokenEnv(), STRATA_LOG_LEVEL: 'debug' });
  }, 120_000);
  afterAll(async () => strata?.close());

  it('says without a token that it takes Keystone passwords, and where Keystone is', async () => {
    const res = await anonymous().get('/strata/v1/auth');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      auth: { strategy: 'keystone', password_login: true, www_authenticate_uri: strata.options.keystone_authtoken.www_authenticate_uri },
    });
  });

  it("gives alice a token for demo with Keystone's roles, which the API then takes", async () => {
    const res = await anonymous().post('/strata/v1/auth/tokens', login());
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.login).toMatchObject({
      user: { name: 'alice', id: expect.any(String) },
      project: { name: 'demo', id: expect.any(String) },
      roles: expect.arrayContaining(['member', 'reader']),
    });
    expect(Date.parse(res.body.login.expires_at)).toBeGreaterThan(Date.now());
    const volumes = await strata.client.as({ 'X-Auth-Token': res.body.login.token }).get('/v3/volumes');
    expect(volumes.status).toBe(200);
    const other = await strata.client.as({ 'X-Auth-Token': res.body.login.token }).get(`/v3/${res.body.login.project.id}/backups`);
    expect(other.status).toBe(200);
  });

  it('takes the domains by name, Default when left out', async () => {
    const res = await anonymous().post('/strata/v1/auth/tokens', login({ user_domain_name: 'Default', project_domain_name: 'Default' }));
    expect(res.status).toBe(201);
    const wrong = await anonymous().post('/strata/v1/auth/tokens', login({ user_domain_name: 'NoSuchDomain' }));
    expect(wrong.status).toBe(401);
  });

  it('answers 401 for a wrong password, an unknown user or project, and a project the user has no role on', async () => {
    const refused = { unauthorized: { code: 401, message: 'Keystone refused these credentials for this project.' } };
    for (const over of [
      { password: 'not-her-password' },
      { username: 'nobody-here' },
      { project_name: 'no-such-project' },
      { project_name: USERS.carol.project }, // alice has no role on carol's project
    ]) {
      const res = await anonymous().post('/strata/v1/auth/tokens', login(over));
      expect({ over, status: res.status, body: res.body }).toEqual({ over, status: 401, body: refused });
    }
  });

  it('answers 400 naming what is wrong, never repeating the password', async () => {
    const secret = 'Sekr1t-never-echoed';
    const cases: [unknown, string][] = [
      [{ password: secret, project_name: 'demo' }, 'username'],
      [login({ password: secret, project_name: undefined }), 'project_name'],
      [login({ password: 12345 }), 'password must be a string'],
      [login({ password: '' }), 'password must be longer than or equal to 1 characters'],
      [login({ password: 'x'.repeat(4097) }), 'password must be shorter than or equal to 4096 characters'],
      [login({ password: secret, scope: { system: 'all' } }), 'property scope should not exist'],
      [login({ password: secret, username: 'ali\nce' }), 'username must be printable text'],
      [[secret], 'the body must be a JSON object'],
    ];
    for (const [body, reason] of cases) {
      const res = await anonymous().post('/strata/v1/auth/tokens', body);
      expect({ reason, status: res.status }).toEqual({ reason, status: 400 });
      expect(res.body.badRequest.message).toContain(reason);
      expect(JSON.stringify(res.body)).not.toContain(secret);
      expect(JSON.stringify(res.body)).not.toContain('12345');
    }
  });

  it('answers a body that is not JSON with 400', async () => {
    const res = await anonymous().request('POST', '/strata/v1/auth/tokens', '{"username": "alice", "password": ', {
      'Content-Type': 'application/json',
    });
    expect(res.status).toBe(400);
  });

  it('puts neither the password nor the token it got in its log', async () => {
    const res = await anonymous().post('/strata/v1/auth/tokens', login());
    expect(res.status).toBe(201);
    await anonymous().post('/strata/v1/auth/tokens', login({ password: 'Wrong-Password-In-No-Log' }));
    const token: string = res.body.login.token;
    expect(logged.some((line) => line.includes('/strata/v1/auth/tokens'))).toBe(true);
    expect(logged.filter((l) => l.includes(USERS.alice.password) || l.includes('Wrong-Password-In-No-Log') || l.includes(token))).toEqual(
      [],
    );
  });
});

describe('POST /strata/v1/auth/tokens when Keystone cannot answer', () => {
  let strata: RunningStrata | undefined;
  afterEach(async () => strata?.close());

  it('answers 503 within http_connect_timeout when Keystone accepts connections and never answers', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v3`;
    try {
      // Validation works (auth_url is the real Keystone); only the users' endpoint is silent.
      strata = await startStrata(keystoneAuthtokenEnv({ www_authenticate_uri: url, http_connect_timeout: '2' }));
      const started = Date.now();
      const res = await strata.client.as({}).post('/strata/v1/auth/tokens', login());
      expect(res).toMatchObject({
        status: 503,
        body: { serviceUnavailable: { code: 503, message: 'The Keystone service is temporarily unavailable.' } },
      });
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      silent.close();
    }
  });

  it('answers 503 when nothing listens where Keystone should be', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    strata = await startStrata(keystoneAuthtokenEnv({ www_authenticate_uri: `http://127.0.0.1:${port}/v3` }));
    expect((await strata.client.as({}).post('/strata/v1/auth/tokens', login())).status).toBe(503);
  });
});

describe('without Keystone (auth_strategy = noauth)', () => {
  let strata: RunningStrata;
  beforeAll(async () => {
    strata = await startStrata();
  });
  afterAll(async () => strata?.close());

  it('says it takes tokens only, and has no password login', async () => {
    expect((await strata.client.as({}).get('/strata/v1/auth')).body).toEqual({ auth: { strategy: 'noauth', password_login: false } });
    const res = await strata.client.as({}).post('/strata/v1/auth/tokens', login());
    expect(res.status).toBe(404);
    expect(res.body.itemNotFound.message).toContain('auth_strategy = keystone');
  });
});
