import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** The Barbican that `scripts/barbican.sh` runs on 127.0.0.1 (with the Keystone of scripts/keystone.sh). */
export const BARBICAN_URL = `http://127.0.0.1:${process.env.STRATA_BARBICAN_PORT ?? '9311'}`;

const SCRIPT = path.resolve(__dirname, '../../scripts/barbican.sh');

/** Starts Barbican unless it is running; one that cannot run fails the suite. Keystone must be up first. */
export const startBarbican = (): string => {
  const run = spawnSync('bash', [SCRIPT, 'start'], { encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`scripts/barbican.sh start failed (${run.status}): ${run.stderr}${run.stdout}`);
  return BARBICAN_URL;
};

/** The bytes of a secret, read as its owner. */
export const payloadOf = async (token: string, keyId: string): Promise<{ status: number; bytes: Buffer }> => {
  const res = await fetch(`${BARBICAN_URL}/v1/secrets/${keyId}/payload`, {
    headers: { 'X-Auth-Token': token, Accept: 'application/octet-stream' },
  });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
};
