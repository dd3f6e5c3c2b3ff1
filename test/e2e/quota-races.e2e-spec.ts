import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { managedDirOf, startStrata, type RunningStrata } from './support/strata-app';
import type { StrataClient } from './support/strata-client';
import { startApiProcess, startStrataProcess, type ChildUnderTest } from './support/strata-processes';

/** Fifty backups asked for at once in a project allowed ten: the quota stream lets exactly ten in. */
const LIMIT = 10;
const REQUESTS = 50;
const QUOTAS = { STRATA_QUOTA_BACKUPS: String(LIMIT), STRATA_QUOTA_VOLUMES: '-1', STRATA_QUOTA_GIGABYTES: '-1' };

const createVolumes = async (client: StrataClient, count: number) => {
  const volumes: { id: string }[] = [];
  // A few at a time: fifty provisioning jobs at once are slow on a shared machine, not a subject here.
  for (let i = 0; i < count; i += 10)
    volumes.push(
      ...(await Promise.all(Array.from({ length: Math.min(10, count - i) }, (_, j) => client.createVolume(1, `race-${i + j}`)))),
    );
  return volumes;
};

/**
 * Sends one backup request per volume at once, spread over `clients` (one api process each), and checks
 * the answers and what the project then holds: exactly LIMIT accepted, the rest refused with Cinder's
 * 413, no refused backup listed, every volume free again, and the usage the accepted ones.
 */
const raceBackups = async (clients: readonly StrataClient[], volumes: readonly { id: string }[]) => {
  const answers = await Promise.all(
    volumes.map((v, i) => clients[i % clients.length]!.post('/v3/backups', { backup: { volume_id: v.id, name: `b-${i}` } })),
  );
  const accepted = answers.filter((a) => a.status === 202);
  const refused = answers.filter((a) => a.status === 413);
  expect({ accepted: accepted.length, refused: refused.length }).toEqual({ accepted: LIMIT, refused: REQUESTS - LIMIT });
  for (const r of refused)
    expect(r.body).toEqual({ overLimit: { code: 413, message: `Maximum number of backups allowed (${LIMIT}) exceeded` } });

  const client = clients[0]!;
  for (const a of accepted) await client.waitFor(`/v3/backups/${a.body.backup.id}`, (b: any) => b.backup.status === 'available', 300_000);
  // A refusal answered by one process is listed by another once that one has read the withdrawal (its
  // last backup may have completed before the withdrawal was written). So each process is asked until it
  // agrees, and must. The two processes of the second case share one catalog file (one state path): a
  // runner behind the file once re-applied a lock after its withdrawal, and the refused backup came back.
  const acceptedIds = accepted.map((a) => a.body.backup.id).sort();
  const ids = (b: any): string[] => b.backups.map((x: any) => x.id).sort();
  for (const c of clients) {
    const settled = await c
      .waitFor('/v3/backups', (b: any) => JSON.stringify(ids(b)) === JSON.stringify(acceptedIds), 30_000)
      .catch(async () => (await c.get('/v3/backups')).body);
    expect(ids(settled)).toEqual(acceptedIds);
  }
  const usage = await client.waitFor('/v3/project-a/os-quota-sets/project-a?usage=true', (b: any) => b.quota_set.backups.reserved === 0);
  expect(usage.quota_set.backups).toEqual({ limit: LIMIT, in_use: LIMIT, reserved: 0, allocated: 0 });
  const statuses = await Promise.all(volumes.map(async (v) => (await client.get(`/v3/volumes/${v.id}`)).body.volume.status));
  expect(new Set(statuses)).toEqual(new Set(['available']));
};

describe('quota races', () => {
  it(`accepts exactly ${LIMIT} of ${REQUESTS} simultaneous backup requests in one api process`, async () => {
    let strata: RunningStrata | null = null;
    try {
      strata = await startStrata(QUOTAS);
      const volumes = await createVolumes(strata.client, REQUESTS);
      await raceBackups([strata.client], volumes);
    } finally {
      await strata?.close();
    }
  }, 900_000);

  it(`accepts exactly ${LIMIT} of ${REQUESTS} simultaneous backup requests spread over two api processes on one SQLite store`, async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'strata-quota-race-'));
    const env = { STRATA_STATE_PATH: stateDir, STRATA_MANAGED_VOLUME_PATHS: managedDirOf(stateDir), ...QUOTAS };
    const processes: ChildUnderTest[] = [];
    try {
      // One process with the worker (it provisions and runs the backups), one api alone; one state path,
      // so one catalog file with a runner in each process.
      const first = await startStrataProcess('strata', env);
      processes.push(first.process);
      const second = await startApiProcess('api', env);
      processes.push(second.process);
      const volumes = await createVolumes(first.client, REQUESTS);
      // The second api's catalog follows the log: it sees the volumes before it is asked about them.
      await second.client.waitFor('/v3/volumes?limit=1000', (b: any) => b.volumes.length === REQUESTS);
      await raceBackups([first.client, second.client], volumes);
    } finally {
      for (const p of processes) await p.stop();
      rmSync(stateDir, { recursive: true, force: true });
      rmSync(managedDirOf(stateDir), { recursive: true, force: true });
    }
  }, 900_000);
});
