import { startStrata, type RunningStrata } from './support/strata-app';
import { cinderCli, expectOk, parseProperties, parseTable, requireClients, type Cli } from './support/openstack-cli';

/** The real `cinder` (python3-cinderclient) on Strata's quota routes, unchanged, at microversion 3.70. */
describe('the cinder CLI on quotas', () => {
  let strata: RunningStrata;
  let cinder: Cli;
  beforeAll(async () => {
    requireClients();
    strata = await startStrata({ STRATA_QUOTA_BACKUPS: '10', STRATA_QUOTA_VOLUMES: '10', STRATA_QUOTA_GIGABYTES: '1000' });
    cinder = cinderCli(strata.baseUrl, 'demo-user', 'demo-project');
  });
  afterAll(async () => strata?.close());
  const run = (...args: string[]) => cinder.run('--os-volume-api-version', '3.70', ...args);

  it('quota-update --backups 2, then a third backup is refused with 413 and quota-usage counts 2', async () => {
    expect(parseProperties(expectOk(await run('quota-defaults', 'demo-project')).stdout)).toEqual({
      volumes: '10',
      snapshots: '-1',
      gigabytes: '1000',
      backups: '10',
      backup_gigabytes: '-1',
    });
    expect(parseProperties(expectOk(await run('quota-update', '--backups', '2', 'demo-project')).stdout)).toMatchObject({
      backups: '2',
      volumes: '10',
    });
    expect(parseProperties(expectOk(await run('quota-show', 'demo-project')).stdout)).toMatchObject({ backups: '2' });

    const volumes = [];
    for (const name of ['v1', 'v2', 'v3'])
      volumes.push(await strata.client.as({ 'X-Auth-Token': 'demo-user:demo-project' }).createVolume(1, name));
    for (const name of ['v1', 'v2']) {
      expectOk(await run('backup-create', '--name', `b-${name}`, name));
    }
    const third = await run('backup-create', '--name', 'b-v3', 'v3');
    expect(third.rc).toBe(1);
    expect(third.stderr).toContain('ERROR: Maximum number of backups allowed (2) exceeded (HTTP 413)');

    // Usage: both accepted backups, reserved until they are done, then in use.
    const client = strata.client.as({ 'X-Auth-Token': 'demo-user:demo-project' });
    await client.waitFor('/v3/demo-project/os-quota-sets/demo-project?usage=true', (b: any) => b.quota_set.backups.in_use === 2);
    const usage = parseTable(expectOk(await run('quota-usage', 'demo-project')).stdout);
    expect(usage.find((row) => row.Type === 'backups')).toEqual({
      Type: 'backups',
      In_use: '2',
      Reserved: '0',
      Limit: '2',
      Allocated: '0',
    });
    expect(usage.find((row) => row.Type === 'volumes')).toEqual({
      Type: 'volumes',
      In_use: '3',
      Reserved: '0',
      Limit: '10',
      Allocated: '0',
    });

    const limits = Object.fromEntries(parseTable(expectOk(await run('absolute-limits')).stdout).map((r) => [r.Name, r.Value]));
    expect(limits).toMatchObject({ maxTotalBackups: '2', totalBackupsUsed: '2', maxTotalVolumes: '10', totalVolumesUsed: '3' });

    expect(parseProperties(expectOk(await run('quota-class-show', 'default')).stdout)).toMatchObject({ backups: '10' });
    expectOk(await run('quota-class-update', '--backups', '5', 'default'));
    expect(parseProperties(expectOk(await run('quota-defaults', 'demo-project')).stdout)).toMatchObject({ backups: '5' });
    // quota-delete: the project's own limits go, the (class) defaults apply.
    expectOk(await run('quota-delete', 'demo-project'));
    expect(parseProperties(expectOk(await run('quota-show', 'demo-project')).stdout)).toMatchObject({ backups: '5' });
  }, 300_000);
});
