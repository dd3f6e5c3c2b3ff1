import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { manageFile } from '../e2e/support/managed-file';
import { startStrata, type RunningStrata } from '../e2e/support/strata-app';
import { SYSTEM_PYTHON } from './support/cinder-restore';

/**
 * `name~` (a substring filter, 3.31+ for admins) against Cinder's own query code: cinder_like_filter.py
 * builds Cinder's backups and volumes tables on SQLite with the same names and applies Cinder's filter
 * processing (`apply_like_filters`, `_process_backups_filters`, `_process_volume_filters`); Strata is asked
 * over HTTP. Both must list the same names for every probe: `%` and `_` are wildcards, ASCII letters
 * match either case, other letters only themselves, and a backup without a name never matches.
 */
const SCRIPT = path.join(__dirname, 'cinder_like_filter.py');
const NAMES = ['alpha', 'Alpha-2', 'a_c', 'abc', '100%', 'Émile', 'x y', 'back\\slash'];
const PROBES = ['alph', 'ALPHA', 'a_c', '_', '%', '0%', 'émile', 'Émile', ' ', 'k\\s', 'zzz', ''];
const V370 = { 'OpenStack-API-Version': 'volume 3.70' };

const cinderMatches = (): { backup: string[][]; volume: string[][] } => {
  const run = spawnSync(SYSTEM_PYTHON, [SCRIPT], { input: JSON.stringify({ names: NAMES, probes: PROBES }), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`cinder_like_filter.py failed (is python3-cinder installed?): ${run.stderr}`);
  return JSON.parse(run.stdout);
};

describe("name~ as Cinder's database code filters the same names", () => {
  let strata: RunningStrata;
  beforeAll(async () => {
    strata = await startStrata();
    // A small managed file keeps the backups quick.
    const { volume } = await manageFile(strata.client, strata.managedDir, 1, 'source');
    for (const name of NAMES) {
      await strata.client.createVolume(1, name);
      expect((await strata.client.createBackup(volume.id, { name })).status).toBe('available');
    }
    // A backup without a name: NULL never matches a LIKE.
    await strata.client.createBackup(volume.id, {});
  }, 300_000);
  afterAll(async () => strata?.close());

  const strataNames = async (collection: 'backups' | 'volumes', probe: string) => {
    const res = await strata.client.get(`/v3/${collection}?${new URLSearchParams({ 'name~': probe })}`, V370);
    expect(res.status).toBe(200);
    return (res.body[collection] as { name: string | null }[])
      .map((item) => item.name)
      .filter((name) => name !== 'source')
      .sort();
  };

  it('lists the backups and the volumes Cinder lists, probe by probe', async () => {
    const cinder = cinderMatches();
    const strataSays = { backup: [] as (string | null)[][], volume: [] as (string | null)[][] };
    for (const probe of PROBES) {
      strataSays.backup.push(await strataNames('backups', probe));
      strataSays.volume.push(await strataNames('volumes', probe));
    }
    expect(strataSays).toEqual(cinder);
    // The cases that tell Cinder's LIKE from a plain substring search.
    expect(cinder.backup[PROBES.indexOf('_')]).toHaveLength(NAMES.length);
    expect(cinder.backup[PROBES.indexOf('ALPHA')]).toEqual(['Alpha-2', 'alpha']);
    expect(cinder.backup[PROBES.indexOf('émile')]).toEqual([]);
  });

  it("ignores an admin's name~ before 3.31, as Cinder's query does", async () => {
    const old = await strata.client.get('/v3/volumes?name~=alph', { 'OpenStack-API-Version': 'volume 3.30' });
    expect(old.body.volumes).toHaveLength(NAMES.length + 1);
  });
});
