import { startStrata, type RunningStrata } from './support/strata-app';
import { cinderCli, expectOk, openstackCli, parseProperties, parseTable, requireClients, type Cli } from './support/openstack-cli';

/**
 * The real `cinder` and `openstack` programs on Cinder's services, zones and pools, as an operator runs
 * them: list the services, take the backup service out of scheduling and back, list zones and pools.
 */
describe('cinder and openstack on services, zones and pools', () => {
  let strata: RunningStrata;
  let cinder: Cli;
  let openstack: Cli;

  beforeAll(async () => {
    requireClients();
    strata = await startStrata({ STRATA_HOST: 'cli-node' });
    cinder = cinderCli(strata.baseUrl, 'ops', 'ops-project');
    openstack = openstackCli(strata.baseUrl);
  });
  afterAll(async () => strata?.close());

  it('lists, disables and enables services, and lists zones and pools', async () => {
    const v370 = ['--os-volume-api-version', '3.70'];
    const services = parseTable(expectOk(await cinder.run(...v370, 'service-list')).stdout);
    expect(services.map((s) => [s.Binary, s.Host, s.Zone, s.Status, s.State]).sort()).toEqual([
      ['cinder-backup', 'cli-node', 'nova', 'enabled', 'up'],
      ['cinder-volume', 'cli-node@file', 'nova', 'enabled', 'up'],
    ]);
    expect(services.find((s) => s.Binary === 'cinder-volume')).toMatchObject({ 'Backend State': 'up', 'Disabled Reason': '-' });

    const disabled = parseTable(
      expectOk(await cinder.run(...v370, 'service-disable', '--reason', 'disk swap', 'cli-node', 'cinder-backup')).stdout,
    );
    expect(disabled).toEqual([{ Host: 'cli-node', Binary: 'cinder-backup', Status: 'disabled', 'Disabled Reason': 'disk swap' }]);
    const afterDisable = parseTable(expectOk(await cinder.run(...v370, 'service-list', '--binary', 'cinder-backup')).stdout);
    expect(afterDisable).toEqual([expect.objectContaining({ Host: 'cli-node', Status: 'disabled', 'Disabled Reason': 'disk swap' })]);

    // With the only cinder-backup disabled, a backup is refused as Cinder refuses it.
    const volume = await strata.client.createVolume(1, 'cli-vol');
    const refused = await cinder.run('backup-create', volume.id);
    expect(refused.rc).toBe(1);
    expect(refused.stderr).toMatch(/^ERROR: Service cinder-backup could not be found\. \(HTTP 503\)/);

    expect(parseTable(expectOk(await cinder.run(...v370, 'service-enable', 'cli-node', 'cinder-backup')).stdout)).toEqual([
      { Host: 'cli-node', Binary: 'cinder-backup', Status: 'enabled' },
    ]);
    expect(expectOk(await cinder.run('backup-create', '--name', 'after-enable', volume.id)).rc).toBe(0);

    // A host nobody registered: Cinder's 404, printed by the client.
    const unknown = await cinder.run(...v370, 'service-disable', 'nowhere', 'cinder-backup');
    expect(unknown.rc).toBe(1);
    expect(unknown.stderr).toContain('Service cinder-backup could not be found on host nowhere. (HTTP 404)');

    expect(parseTable(expectOk(await cinder.run('availability-zone-list')).stdout)).toEqual([{ Name: 'nova', Status: 'available' }]);

    expect(parseProperties(expectOk(await cinder.run(...v370, 'get-pools')).stdout)).toEqual({ name: 'cli-node@file#file' });
    const detail = parseProperties(expectOk(await cinder.run(...v370, 'get-pools', '--detail')).stdout);
    expect(detail).toMatchObject({ name: 'cli-node@file#file', pool_name: 'file', volume_backend_name: 'file', storage_protocol: 'file' });
    expect(Number(detail.total_capacity_gb)).toBeGreaterThan(0);

    const osList = parseTable(expectOk(await openstack.run('volume', 'service', 'list')).stdout);
    expect(osList.map((s) => [s.Binary, s.Host, s.Zone, s.Status, s.State]).sort()).toEqual([
      ['cinder-backup', 'cli-node', 'nova', 'enabled', 'up'],
      ['cinder-volume', 'cli-node@file', 'nova', 'enabled', 'up'],
    ]);
  }, 240_000);
});
