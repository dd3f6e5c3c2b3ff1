import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';

/** The Swift all-in-one that `scripts/swift-saio.sh` runs on 127.0.0.1 (tempauth). */
export interface SwiftSaio {
  readonly authUrl: string;
  readonly proxyUrl: string;
  /** test:tester, admin of AUTH_test. */
  readonly user: string;
  readonly key: string;
  /** admin:admin has .reseller_admin: it may use any AUTH_* account, which Swift creates on first write. */
  readonly resellerUser: string;
  readonly resellerKey: string;
}

const SCRIPT = path.resolve(__dirname, '../../scripts/swift-saio.sh');
const PACKAGES_MISSING = 3;

/**
 * Starts the SAIO unless it is running (the script is idempotent). Null only when the Swift packages are
 * not installed, which the caller reports as a loud skip; any other failure to start fails the suite.
 */
export const startSwiftSaio = (): SwiftSaio | null => {
  const run = spawnSync('bash', [SCRIPT, 'start'], { encoding: 'utf8', timeout: 120_000 });
  if (run.status === PACKAGES_MISSING) {
    console.warn(`SKIPPING Swift suites: ${run.stderr.trim()}`);
    return null;
  }
  if (run.status !== 0) throw new Error(`scripts/swift-saio.sh start failed (${run.status}): ${run.stderr}${run.stdout}`);
  const port = process.env.STRATA_SAIO_PORT ?? '8080';
  const proxyUrl = `http://127.0.0.1:${port}`;
  return {
    authUrl: `${proxyUrl}/auth/v1.0`,
    proxyUrl,
    user: 'test:tester',
    key: 'testing',
    resellerUser: 'admin:admin',
    resellerKey: 'admin',
  };
};

/** A fresh Swift account (created on first write) so that a test sees no objects from earlier runs. */
export const freshAccountUrl = (saio: SwiftSaio, label: string): string =>
  `${saio.proxyUrl}/v1/AUTH_strata-${label}-${randomUUID().slice(0, 8)}`;

const authenticate = async (saio: SwiftSaio): Promise<string> => {
  const res = await fetch(saio.authUrl, { headers: { 'X-Auth-User': saio.resellerUser, 'X-Auth-Key': saio.resellerKey } });
  const token = res.headers.get('x-auth-token');
  if (!res.ok || !token) throw new Error(`SAIO auth failed: ${res.status}`);
  return token;
};

/** Deletes every object and container of an account made by freshAccountUrl. */
export const removeAccount = async (saio: SwiftSaio, accountUrl: string): Promise<void> => {
  const headers = { 'X-Auth-Token': await authenticate(saio) };
  const containers = await fetch(`${accountUrl}?format=json`, { headers });
  if (containers.status !== 200) return;
  for (const { name: c } of (await containers.json()) as { name: string }[]) {
    const cUrl = `${accountUrl}/${encodeURIComponent(c)}`;
    for (;;) {
      const list = await fetch(`${cUrl}?format=json`, { headers });
      const objects = list.status === 200 ? ((await list.json()) as { name: string }[]) : [];
      if (objects.length === 0) break;
      for (const o of objects) await fetch(`${cUrl}/${o.name.split('/').map(encodeURIComponent).join('/')}`, { method: 'DELETE', headers });
    }
    await fetch(cUrl, { method: 'DELETE', headers });
  }
};
