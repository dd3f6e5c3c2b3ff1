import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** The Keystone that `scripts/keystone.sh` runs on 127.0.0.1, and the users it seeds (Default domain). */
export const KEYSTONE_URL = `http://127.0.0.1:${process.env.STRATA_KEYSTONE_PORT ?? '35357'}/v3`;

export interface KeystoneUser {
  readonly name: string;
  readonly password: string;
  readonly project: string;
}

const seeded = (name: string, project: string): KeystoneUser => ({
  name,
  password: `${name.charAt(0).toUpperCase()}${name.slice(1)}Pass123`,
  project,
});

/** admin on admin; strata has `service` on service; alice member, bob reader, dave admin on demo; carol member on other. */
export const USERS = {
  admin: seeded('admin', 'admin'),
  strata: seeded('strata', 'service'),
  alice: seeded('alice', 'demo'),
  bob: seeded('bob', 'demo'),
  carol: seeded('carol', 'other'),
  dave: seeded('dave', 'demo'),
} as const;

const SCRIPT = path.resolve(__dirname, '../../scripts/keystone.sh');

/** Starts Keystone unless it is running (the script is idempotent); a Keystone that cannot run fails the suite. */
export const startKeystone = (): string => {
  const run = spawnSync('bash', [SCRIPT, 'start'], { encoding: 'utf8', timeout: 180_000 });
  if (run.status !== 0) throw new Error(`scripts/keystone.sh start failed (${run.status}): ${run.stderr}${run.stdout}`);
  return KEYSTONE_URL;
};

export interface IssuedToken {
  readonly token: string;
  readonly userId: string;
  readonly projectId: string;
  readonly roles: string[];
  readonly expiresAt: Date;
}

/** A project-scoped token by password, as any client logs in. */
export const issueToken = async (user: KeystoneUser, keystoneUrl = KEYSTONE_URL): Promise<IssuedToken> => {
  const res = await fetch(`${keystoneUrl}/auth/tokens?nocatalog`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: user.name, domain: { id: 'default' }, password: user.password } } },
        scope: { project: { name: user.project, domain: { id: 'default' } } },
      },
    }),
  });
  const body = (await res.json()) as any;
  const token = res.headers.get('x-subject-token');
  if (res.status !== 201 || !token) throw new Error(`login of ${user.name}: ${res.status} ${JSON.stringify(body)}`);
  return {
    token,
    userId: body.token.user.id,
    projectId: body.token.project.id,
    roles: body.token.roles.map((r: { name: string }) => r.name),
    expiresAt: new Date(body.token.expires_at),
  };
};

/** Revokes a token as its owner does (`openstack token revoke`). */
export const revokeToken = async (token: string): Promise<void> => {
  const res = await fetch(`${KEYSTONE_URL}/auth/tokens`, {
    method: 'DELETE',
    headers: { 'X-Auth-Token': token, 'X-Subject-Token': token },
  });
  if (res.status !== 204) throw new Error(`revoke: ${res.status}`);
};

/** Strata's `[keystone_authtoken]` for this Keystone, as environment overrides. */
export const keystoneAuthtokenEnv = (overrides: Record<string, string> = {}, keystoneUrl = KEYSTONE_URL): Record<string, string> => {
  const options: Record<string, string> = {
    www_authenticate_uri: keystoneUrl,
    auth_url: keystoneUrl,
    auth_type: 'password',
    username: USERS.strata.name,
    password: USERS.strata.password,
    project_name: USERS.strata.project,
    user_domain_name: 'Default',
    project_domain_name: 'Default',
    region_name: 'RegionOne',
    ...overrides,
  };
  return {
    STRATA_AUTH_STRATEGY: 'keystone',
    ...Object.fromEntries(Object.entries(options).map(([k, v]) => [`STRATA_KEYSTONE_AUTHTOKEN_${k.toUpperCase()}`, v])),
  };
};

/**
 * A token of `user` that expires in `minutes` (Keystone's tokens otherwise all last an hour): logged in
 * with an application credential of that user that expires then, as Keystone caps the token at it.
 */
export const issueShortLivedToken = async (user: KeystoneUser, minutes: number): Promise<IssuedToken> => {
  const owner = await issueToken(user);
  const expiresAt = new Date(Date.now() + minutes * 60_000).toISOString().replace(/\.\d+Z$/, '');
  const created = await fetch(`${KEYSTONE_URL}/users/${owner.userId}/application_credentials`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Auth-Token': owner.token },
    body: JSON.stringify({ application_credential: { name: `short-${Date.now()}-${Math.random()}`, expires_at: expiresAt } }),
  });
  const credential = ((await created.json()) as any).application_credential;
  if (created.status !== 201) throw new Error(`application credential: ${created.status} ${JSON.stringify(credential)}`);
  const res = await fetch(`${KEYSTONE_URL}/auth/tokens?nocatalog`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      auth: { identity: { methods: ['application_credential'], application_credential: { id: credential.id, secret: credential.secret } } },
    }),
  });
  const body = (await res.json()) as any;
  const token = res.headers.get('x-subject-token');
  if (res.status !== 201 || !token) throw new Error(`application credential login: ${res.status} ${JSON.stringify(body)}`);
  return {
    token,
    userId: body.token.user.id,
    projectId: body.token.project.id,
    roles: body.token.roles.map((r: { name: string }) => r.name),
    expiresAt: new Date(body.token.expires_at),
  };
};
