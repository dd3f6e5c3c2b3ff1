import { startStrata, type RunningStrata } from './support/strata-app';
import { expectOk, openstackCli, parseProperties, parseTable, pollCli, requireClients, type Cli } from './support/openstack-cli';

/**
 * The real `openstack` program (python3-openstackclient 6.0.0, whose volume backup commands run through
 * cinderclient) against an in-process Strata with `--os-auth-type none`. Restore is left out on purpose:
 * OSC 6.0.0 always fails after a successful POST …/restore (`cannot unpack non-iterable
 * VolumeBackupsRestore object`, rc 1, whatever the server answers); cinder-cli.e2e-spec.ts restores.
 */

const SCENARIO_TIMEOUT_MS = 170_000;

describe('the openstack CLI against Strata', () => {
  let strata: RunningStrata;
  let openstack: Cli;

  beforeAll(async () => {
    requireClients();
    strata = await startStrata();
    openstack = openstackCli(strata.baseUrl);
  });
  afterAll(async () => strata?.close());

  it(
    'creates a volume, backs it up, lists it (--long names the volume), shows and deletes the backup by name',
    async () => {
      // Auth type none sends the token `notused`: user = project = notused, as Cinder's NoAuthMiddleware reads it.
      const volume = parseProperties(expectOk(await openstack.run('volume', 'create', '--size', '1', 'ovol')).stdout);
      // The create answer is Cinder's view builder alone; the tenant attribute comes with show, as in Cinder.
      expect(volume).toMatchObject({ name: 'ovol', size: '1' });
      expect(volume).not.toHaveProperty('os-vol-tenant-attr:tenant_id');
      const ready = await pollCli(
        'ovol available',
        () => openstack.run('volume', 'show', 'ovol'),
        (r) => r.rc === 0 && parseProperties(r.stdout).status === 'available',
      );
      expect(parseProperties(ready.stdout)).toMatchObject({ 'os-vol-tenant-attr:tenant_id': 'notused' });

      // GET /volumes/ovol (404) → GET /volumes/detail?all_tenants=1&name=ovol → POST /backups; 202 with id and name.
      const created = parseProperties(expectOk(await openstack.run('volume', 'backup', 'create', '--name', 'ob1', 'ovol')).stdout);
      expect(Object.keys(created).sort()).toEqual(['id', 'name']);
      const shown = await pollCli(
        'ob1 available',
        () => openstack.run('volume', 'backup', 'show', 'ob1'),
        (r) => r.rc === 0 && parseProperties(r.stdout).status === 'available',
      );
      expect(parseProperties(shown.stdout)).toMatchObject({
        id: created.id,
        volume_id: volume.id,
        is_incremental: 'False',
        'os-backup-project-attr:project_id': 'notused',
        user_id: 'notused',
      });

      const list = parseTable(expectOk(await openstack.run('volume', 'backup', 'list')).stdout);
      expect(list).toEqual([{ ID: created.id, Name: 'ob1', Description: 'None', Status: 'available', Size: '1' }]);
      // --long maps volume ids to names through GET /volumes/detail.
      const long = parseTable(expectOk(await openstack.run('volume', 'backup', 'list', '--long')).stdout);
      expect(long).toEqual([expect.objectContaining({ Name: 'ob1', Volume: 'ovol', 'Availability Zone': 'nova' })]);

      expect(expectOk(await openstack.run('volume', 'backup', 'delete', 'ob1')).stdout).toBe('');
      const gone = await pollCli(
        'ob1 gone',
        () => openstack.run('volume', 'backup', 'show', 'ob1'),
        (r) => r.rc !== 0,
      );
      expect(gone).toMatchObject({ rc: 1, stderr: "No volumebackup with a name or ID of 'ob1' exists.\n" });
    },
    SCENARIO_TIMEOUT_MS,
  );
});
