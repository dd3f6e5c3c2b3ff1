import { keystoneAuthtokenDefinitions, type KeystoneAuthtokenOptions } from '@strata/config';
import { KeystoneAuthenticator } from '../../apps/api/src/context/keystone/keystone-authenticator';
import { KeystoneIdentityClient, type TokenValidator } from '../../apps/api/src/context/keystone/keystone-identity-client';
import { KeystoneRejection } from '../../apps/api/src/context/keystone/keystone-rejection';
import { issueShortLivedToken, issueToken, KEYSTONE_URL, revokeToken, startKeystone, USERS } from '../support/keystone';

/**
 * Strata's keystone_authtoken against the real Keystone of scripts/keystone.sh, with a clock the suite
 * moves: what is asked of Keystone, what is cached and for how long, and what a 401 looks like.
 */
const defaults = Object.fromEntries(
  Object.entries(keystoneAuthtokenDefinitions).map(([k, p]) => [k, p.defaultValue]),
) as KeystoneAuthtokenOptions;

const optionsWith = (overrides: Partial<KeystoneAuthtokenOptions> = {}): KeystoneAuthtokenOptions => ({
  ...defaults,
  www_authenticate_uri: KEYSTONE_URL,
  auth_url: KEYSTONE_URL,
  username: USERS.strata.name,
  password: USERS.strata.password,
  project_name: USERS.strata.project,
  region_name: 'RegionOne',
  ...overrides,
});

class ManualClock {
  private at = Date.now();
  now = () => new Date(this.at);
  advanceSeconds(s: number) {
    this.at += s * 1000;
  }
  set(date: Date) {
    this.at = date.getTime();
  }
}

/** The real client, counting what reaches Keystone. */
class CountingValidator implements TokenValidator {
  readonly calls: { allowExpired: boolean }[] = [];
  constructor(private readonly inner: TokenValidator) {}
  validate(token: string, allowExpired: boolean) {
    this.calls.push({ allowExpired });
    return this.inner.validate(token, allowExpired);
  }
}

const silent = () => undefined;

const build = (overrides: Partial<KeystoneAuthtokenOptions> = {}) => {
  const options = optionsWith(overrides);
  const clock = new ManualClock();
  const keystone = new CountingValidator(new KeystoneIdentityClient(options, clock, silent));
  return { clock, keystone, auth: new KeystoneAuthenticator(options, keystone, clock) };
};

const rejectionOf = async (p: Promise<unknown>): Promise<KeystoneRejection> => {
  const outcome = await p.then(
    (v) => v,
    (e: unknown) => e,
  );
  if (!(outcome instanceof KeystoneRejection)) throw new Error(`expected a KeystoneRejection, got ${String(outcome)}`);
  return outcome;
};

beforeAll(() => startKeystone(), 180_000);

describe('token validation', () => {
  it("gives the token's user, project and roles (implied roles included)", async () => {
    const { auth } = build();
    const alice = await issueToken(USERS.alice);
    const identity = await auth.authenticate({ token: alice.token });
    expect(identity).toEqual({ userId: alice.userId, projectId: alice.projectId, roles: expect.arrayContaining(['member', 'reader']) });
    const bob = await issueToken(USERS.bob);
    expect((await auth.authenticate({ token: bob.token })).roles).toEqual(['reader']);
  });

  it.each([
    ['no token', undefined],
    ['an empty token', '  '],
    ['a string that is no token', 'garbage'],
    ['a token far longer than any Keystone issues', 'g'.repeat(100_000)],
    ['a token with spaces and control characters inside', 'gAAAA bbb\u0001'],
  ])('refuses %s with 401 naming www_authenticate_uri, as keystonemiddleware', async (_, token) => {
    const { auth } = build({ www_authenticate_uri: 'http://keystone.example:5000/v3' });
    const rejection = await rejectionOf(auth.authenticate({ token }));
    expect(rejection.status).toBe(401);
    expect(rejection.headers).toEqual({ 'WWW-Authenticate': 'Keystone uri="http://keystone.example:5000/v3"' });
    expect(rejection.body).toEqual({
      error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' },
    });
  });

  it('refuses a tampered token', async () => {
    const { auth } = build();
    const { token } = await issueToken(USERS.alice);
    const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await rejectionOf(auth.authenticate({ token: tampered }))).status).toBe(401);
  });

  it('answers 503 when [keystone_authtoken] credentials are refused by Keystone', async () => {
    const { auth } = build({ password: 'not-the-password' });
    const { token } = await issueToken(USERS.alice);
    const rejection = await rejectionOf(auth.authenticate({ token }));
    expect(rejection.status).toBe(503);
    expect(rejection.body.error.message).toBe('The Keystone service is temporarily unavailable.');
  });
});

describe('caching and expiry', () => {
  it('asks Keystone once per token within token_cache_time, and again after it', async () => {
    const { auth, keystone, clock } = build({ token_cache_time: 300 });
    const { token } = await issueToken(USERS.alice);
    await auth.authenticate({ token });
    await auth.authenticate({ token });
    clock.advanceSeconds(299);
    await auth.authenticate({ token });
    expect(keystone.calls).toHaveLength(1);
    clock.advanceSeconds(2);
    await auth.authenticate({ token });
    expect(keystone.calls).toHaveLength(2);
  });

  it('keeps nothing when token_cache_time is -1', async () => {
    const { auth, keystone } = build({ token_cache_time: -1 });
    const { token } = await issueToken(USERS.alice);
    await auth.authenticate({ token });
    await auth.authenticate({ token });
    expect(keystone.calls).toHaveLength(2);
  });

  it('does not believe a cached token past its expiry, even within token_cache_time', async () => {
    const { auth, keystone, clock } = build({ token_cache_time: 100_000 });
    const alice = await issueToken(USERS.alice);
    await auth.authenticate({ token: alice.token });
    clock.set(new Date(alice.expiresAt.getTime() + 1000));
    expect((await rejectionOf(auth.authenticate({ token: alice.token }))).status).toBe(401);
    // Expired by Strata's own clock: Keystone (whose clock says it is still valid) is asked again and not believed.
    expect(keystone.calls.length).toBeGreaterThanOrEqual(1);
  });
});

describe('revocation', () => {
  it('a revoked token keeps working until token_cache_time has passed, then is refused', async () => {
    const { auth, clock } = build({ token_cache_time: 60 });
    const { token } = await issueToken(USERS.alice);
    await auth.authenticate({ token });
    await revokeToken(token);
    // keystonemiddleware's documented window: the cache is not told of revocations.
    await expect(auth.authenticate({ token })).resolves.toMatchObject({ roles: expect.arrayContaining(['member']) });
    clock.advanceSeconds(61);
    expect((await rejectionOf(auth.authenticate({ token }))).status).toBe(401);
  });

  it('a revoked token is refused at once when it was not cached', async () => {
    const { auth } = build();
    const { token } = await issueToken(USERS.bob);
    await revokeToken(token);
    expect((await rejectionOf(auth.authenticate({ token }))).status).toBe(401);
  });
});

describe('service tokens (X-Service-Token)', () => {
  it('an invalid service token refuses the request even with a valid user token', async () => {
    const { auth } = build();
    const { token } = await issueToken(USERS.alice);
    expect((await rejectionOf(auth.authenticate({ token, serviceToken: 'garbage' }))).status).toBe(401);
  });

  it('a service token with a service_token_roles role lets an expired user token through; without one it does not', async () => {
    const { auth, clock, keystone } = build();
    const alice = await issueShortLivedToken(USERS.alice, 10);
    const service = await issueToken(USERS.strata);
    const carol = await issueToken(USERS.carol);
    // Past alice's expiry, well before the service token's and carol's, by Strata's clock.
    clock.set(new Date(alice.expiresAt.getTime() + 60_000));
    expect((await rejectionOf(auth.authenticate({ token: alice.token }))).status).toBe(401);
    await expect(auth.authenticate({ token: alice.token, serviceToken: service.token })).resolves.toMatchObject({
      userId: alice.userId,
      projectId: alice.projectId,
    });
    expect(keystone.calls.at(-1)).toEqual({ allowExpired: true });
    // carol's is a valid token but not a service's: accepted as a service token (service_token_roles_required
    // is false) yet without the privilege, so the expired token stays refused.
    expect((await rejectionOf(auth.authenticate({ token: alice.token, serviceToken: carol.token }))).status).toBe(401);
  });

  it('with service_token_roles_required a service token without those roles is refused', async () => {
    const { auth } = build({ service_token_roles_required: true });
    const alice = await issueToken(USERS.alice);
    const carol = await issueToken(USERS.carol);
    const service = await issueToken(USERS.strata);
    expect((await rejectionOf(auth.authenticate({ token: alice.token, serviceToken: carol.token }))).status).toBe(401);
    await expect(auth.authenticate({ token: alice.token, serviceToken: service.token })).resolves.toMatchObject({
      userId: alice.userId,
    });
  });
});
