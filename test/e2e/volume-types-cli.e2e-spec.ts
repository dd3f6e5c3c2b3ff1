import { startStrata, type RunningStrata } from './support/strata-app';
import { cinderCli, expectOk, parseProperties, parseTable, pollCli, requireClients, type Cli } from './support/openstack-cli';

/**
 * The real `cinder` program (python3-cinderclient 9.1.0) managing volume types against Strata, unchanged:
 * each command is a subprocess taking seconds, so this is one scenario, as in cinder-cli.e2e-spec.ts.
 */
const SCENARIO_TIMEOUT_MS = 170_000;
const REQUEST_ID = /\(Request-ID: req-[0-9a-f-]{36}\)/;

describe('the cinder CLI managing volume types', () => {
  let strata: RunningStrata;
  let cinder: Cli;

  beforeAll(async () => {
    requireClients();
    strata = await startStrata();
    cinder = cinderCli(strata.baseUrl, 'demo-user', 'demo-project');
  });
  afterAll(async () => strata?.close());

  const typeRows = async () => parseTable(expectOk(await cinder.run('type-list')).stdout);

  it(
    'lists, creates, keys, uses, refuses to delete in use, and deletes a type',
    async () => {
      // A new Strata has Cinder's default type, and says so.
      expect(await typeRows()).toEqual([
        { ID: expect.any(String), Name: '__DEFAULT__', Description: 'Default Volume Type', Is_Public: 'True' },
      ]);
      expect(parseTable(expectOk(await cinder.run('type-default')).stdout)).toEqual(await typeRows());

      const created = parseTable(expectOk(await cinder.run('type-create', '--description', 'fast disks', 'gold')).stdout);
      expect(created).toEqual([
        { ID: expect.stringMatching(/^[0-9a-f-]{36}$/), Name: 'gold', Description: 'fast disks', Is_Public: 'True' },
      ]);
      const goldId = created[0]!.ID;

      // type-key finds gold by name (GET /types?is_public=None&name=gold), then POSTs its extra specs.
      expectOk(await cinder.run('type-key', 'gold', 'set', 'volume_backend_name=ssd', 'k=v'));
      const specs = parseTable(expectOk(await cinder.run('extra-specs-list')).stdout);
      expect(specs.find((r) => r.Name === 'gold')).toEqual({
        ID: goldId,
        Name: 'gold',
        extra_specs: "{'volume_backend_name': 'ssd', 'k': 'v'}",
      });
      expectOk(await cinder.run('type-key', 'gold', 'unset', 'k'));
      expect(parseProperties(expectOk(await cinder.run('type-show', 'gold')).stdout)).toEqual({
        id: goldId,
        name: 'gold',
        description: 'fast disks',
        is_public: 'True',
        'os-volume-type-access:is_public': 'True',
        qos_specs_id: 'None',
        extra_specs: 'volume_backend_name : ssd',
      });

      // A volume of the type shows its name; a type that does not exist is Cinder's 404, printed as cinder prints it.
      const volume = parseProperties(expectOk(await cinder.run('create', '--volume-type', 'gold', '--name', 'typed', '1')).stdout);
      expect(volume).toMatchObject({ name: 'typed', volume_type: 'gold', size: '1' });
      await pollCli(
        'typed available',
        () => cinder.run('show', 'typed'),
        (r) => r.rc === 0 && parseProperties(r.stdout).status === 'available',
      );
      const unknown = await cinder.run('create', '--volume-type', 'platinum', '1');
      expect(unknown.rc).toBe(1);
      expect(unknown.stderr).toMatch(/^ERROR: Volume type with name platinum could not be found\. \(HTTP 404\) /);
      expect(unknown.stderr).toMatch(REQUEST_ID);

      const refused = await cinder.run('type-delete', 'gold');
      expect(refused.rc).toBe(1);
      expect(refused.stdout).toMatch(/^Delete for volume type gold failed: Target volume type is still in use\. \(HTTP 400\) /);
      expect(refused.stderr).toBe('ERROR: Unable to delete any of the specified types.\n');

      expectOk(await cinder.run('delete', 'typed'));
      await pollCli(
        'typed gone',
        () => cinder.run('show', volume.id),
        (r) => r.rc === 1,
      );
      expect(expectOk(await cinder.run('type-delete', 'gold')).stdout).toBe('Request to delete volume type gold has been accepted.\n');
      expect((await typeRows()).map((r) => r.Name)).toEqual(['__DEFAULT__']);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'manages encryption specs and the access list of a private type',
    async () => {
      expectOk(await cinder.run('type-create', '--is-public', 'false', 'secret'));
      expectOk(
        await cinder.run(
          'encryption-type-create',
          '--cipher',
          'aes-xts-plain64',
          '--key-size',
          '256',
          '--control-location',
          'front-end',
          'secret',
          'luks',
        ),
      );
      const encryption = parseTable(expectOk(await cinder.run('encryption-type-show', 'secret')).stdout);
      expect(encryption).toEqual([
        {
          'Volume Type ID': expect.any(String),
          Provider: 'luks',
          Cipher: 'aes-xts-plain64',
          'Key Size': '256',
          'Control Location': 'front-end',
        },
      ]);
      const project = '4f1a2b3c4d5e4f6a8b9c0d1e2f3a4b5c';
      expectOk(await cinder.run('type-access-add', '--volume-type', 'secret', '--project-id', project));
      expect(parseTable(expectOk(await cinder.run('type-access-list', '--volume-type', 'secret')).stdout)).toEqual([
        { Volume_type_ID: expect.any(String), Project_ID: project },
      ]);
      expectOk(await cinder.run('encryption-type-delete', 'secret'));
      expect(expectOk(await cinder.run('type-delete', 'secret')).stdout).toBe('Request to delete volume type secret has been accepted.\n');
    },
    SCENARIO_TIMEOUT_MS,
  );
});
