import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { keystoneAuthtokenEnv, KEYSTONE_URL, startKeystone, USERS, type KeystoneUser } from '../support/keystone';
import { CINDER, expectOk, OPENSTACK, parseProperties, parseTable, pollCli, requireClients, type CliResult } from './support/openstack-cli';
import { startStrata, type RunningStrata } from './support/strata-app';
import { runCli } from '../../apps/cli/src/main';

/**
 * The real `openstack` and `cinder` programs with nothing but password credentials: they log in to the
 * real Keystone, find Strata in its catalog (registered by scripts/keystone-register.sh as block-storage
 * and volumev3 in a region of this run's own) and run the backup scenario; Strata validates their tokens
 * with that Keystone. OSC 6.0.0 cannot restore (see openstack-cli.e2e-spec.ts): cinder restores.
 */
const run = promisify(execFile);
const REGISTER = resolve(__dirname, '../../scripts/keystone-register.sh');
const COMMAND_TIMEOUT_MS = 60_000;

const adminEnv = () => ({
  PATH: '/usr/bin:/bin',
  OS_AUTH_URL: KEYSTONE_URL,
  OS_USERNAME: USERS.admin.name,
  OS_PASSWORD: USERS.admin.password,
  OS_PROJECT_NAME: USERS.admin.project,
  OS_USER_DOMAIN_NAME: 'Default',
  OS_PROJECT_DOMAIN_NAME: 'Default',
});

/** A program in a clean environment (no developer's OS_* or clouds.yaml), HOME fresh and writable. */
const runClean = (program: string, args: string[], env: Record<string, string>): Promise<CliResult> =>
  new Promise((done, fail) => {
    execFile(program, args, { env, cwd: env.HOME, timeout: COMMAND_TIMEOUT_MS, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return fail(new Error(`${program} ${args.join(' ')}: ${error.message}\n${stderr}`));
      // A failure names its command: the scenario runs a dozen of them.
      const said = error || stderr ? `${stderr}[${program.split('/').pop()} ${args.join(' ')}]\n` : '';
      done({ rc: error ? (error.code as number) : 0, stdout, stderr: said });
    });
  });

const home = () => mkdtempSync(join(tmpdir(), 'strata-keystone-cli-'));

/** `openstack --os-cloud strata …` with a clouds.yaml holding the user's password and the region. */
const openstackAs = (user: KeystoneUser, region: string) => {
  const dir = home();
  const cloudsYaml = join(dir, 'clouds.yaml');
  writeFileSync(
    cloudsYaml,
    [
      'clouds:',
      '  strata:',
      '    auth:',
      `      auth_url: ${KEYSTONE_URL}`,
      `      username: ${user.name}`,
      `      password: ${user.password}`,
      `      project_name: ${user.project}`,
      '      user_domain_name: Default',
      '      project_domain_name: Default',
      `    region_name: ${region}`,
      '    identity_api_version: 3',
      '    volume_api_version: "3.70"',
      '',
    ].join('\n'),
  );
  const env = { PATH: '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8', OS_CLIENT_CONFIG_FILE: cloudsYaml };
  return (...args: string[]) => runClean(OPENSTACK, ['--os-cloud', 'strata', ...args], env);
};

/** `cinder …` with password credentials in OS_* (cinderclient 9.1 reads no clouds.yaml and has no --os-region-name). */
const cinderAs = (user: KeystoneUser, region: string) => {
  const env = {
    PATH: '/usr/bin:/bin',
    HOME: home(),
    LANG: 'C.UTF-8',
    OS_AUTH_URL: KEYSTONE_URL,
    OS_USERNAME: user.name,
    OS_PASSWORD: user.password,
    OS_PROJECT_NAME: user.project,
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_REGION_NAME: region,
    OS_VOLUME_API_VERSION: '3.70',
  };
  return (...args: string[]) => runClean(CINDER, args, env);
};

describe('openstack and cinder with passwords, through the Keystone catalog', () => {
  let strata: RunningStrata;
  const region = `StrataE2E-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    requireClients();
    startKeystone();
    strata = await startStrata(keystoneAuthtokenEnv());
    await run('bash', [REGISTER, `${strata.baseUrl}/v3/%(project_id)s`, region], { env: adminEnv(), timeout: COMMAND_TIMEOUT_MS });
  }, 240_000);
  afterAll(async () => {
    await run('bash', [REGISTER, '--remove', region], { env: adminEnv(), timeout: COMMAND_TIMEOUT_MS }).catch(() => undefined);
    await strata?.close();
  });

  it('registers block-storage and volumev3 endpoints for every interface, idempotently', async () => {
    await run('bash', [REGISTER, `${strata.baseUrl}/v3/%(project_id)s`, region], { env: adminEnv(), timeout: COMMAND_TIMEOUT_MS });
    const { stdout } = await run(OPENSTACK, ['endpoint', 'list', '--region', region, '-f', 'json'], {
      env: { ...adminEnv(), HOME: home() },
      timeout: COMMAND_TIMEOUT_MS,
    });
    const endpoints = (JSON.parse(stdout) as Record<string, string>[]).map((e) => `${e['Service Type']} ${e.Interface} ${e.URL}`).sort();
    const url = `${strata.baseUrl}/v3/%(project_id)s`;
    expect(endpoints).toEqual(['block-storage', 'volumev3'].flatMap((t) => ['admin', 'internal', 'public'].map((i) => `${t} ${i} ${url}`)));
  }, 120_000);

  it('alice (member of demo): cinder creates a volume, openstack backs it up and lists it, cinder lists and restores it', async () => {
    const openstack = openstackAs(USERS.alice, region);
    const cinder = cinderAs(USERS.alice, region);
    // cinder creates the volume: OSC's `volume create` looks up the image service, which this cloud lacks.
    const volume = parseProperties(expectOk(await cinder('create', '--name', 'kvol', '1')).stdout);
    await pollCli(
      'kvol available',
      () => openstack('volume', 'show', 'kvol'),
      (r) => r.rc === 0 && parseProperties(r.stdout).status === 'available',
    );
    const backup = parseProperties(expectOk(await openstack('volume', 'backup', 'create', '--name', 'kb1', 'kvol')).stdout);
    await pollCli(
      'kb1 available',
      () => openstack('volume', 'backup', 'show', 'kb1'),
      (r) => r.rc === 0 && parseProperties(r.stdout).status === 'available',
    );
    const listed = parseTable(expectOk(await openstack('volume', 'backup', 'list')).stdout);
    expect(listed).toEqual([expect.objectContaining({ ID: backup.id, Name: 'kb1', Status: 'available' })]);

    const cinderList = parseTable(expectOk(await cinder('backup-list')).stdout);
    expect(cinderList).toEqual([expect.objectContaining({ ID: backup.id, 'Volume ID': volume.id, Status: 'available', Name: 'kb1' })]);
    const restore = parseProperties(expectOk(await cinder('backup-restore', '--name', 'krestored', 'kb1')).stdout);
    expect(restore).toMatchObject({ backup_id: backup.id, volume_name: 'krestored' });
    await pollCli(
      'krestored available',
      () => cinder('show', 'krestored'),
      (r) => r.rc === 0 && parseProperties(r.stdout).status === 'available',
    );
    // The volume belongs to alice's project, taken from her Keystone token.
    const shown = parseProperties(expectOk(await openstack('volume', 'show', 'krestored')).stdout);
    expect(shown.id).toBe(restore.volume_id);
  }, 400_000);

  it("bob (reader of demo) sees demo's backups but Cinder's policy refuses him a backup; carol (other project) sees none", async () => {
    const bob = cinderAs(USERS.bob, region);
    expect(parseTable(expectOk(await bob('backup-list')).stdout).map((r) => r.Name)).toContain('kb1');
    const refused = await bob('backup-create', '--name', 'nope', 'kvol');
    expect(refused.rc).toBe(1);
    expect(refused.stderr).toContain("Policy doesn't allow backup:create to be performed. (HTTP 403)");
    const carol = openstackAs(USERS.carol, region);
    expect(parseTable(expectOk(await carol('volume', 'backup', 'list')).stdout)).toEqual([]);
  }, 200_000);

  it("the strata CLI logs in with the same passwords and finds Strata in the catalog; a wrong password is Keystone's refusal", async () => {
    const passwordEnv = (user: KeystoneUser, password = user.password) => ({
      OS_AUTH_URL: KEYSTONE_URL,
      OS_USERNAME: user.name,
      OS_PASSWORD: password,
      OS_PROJECT_NAME: user.project,
      OS_USER_DOMAIN_NAME: 'Default',
      OS_PROJECT_DOMAIN_NAME: 'Default',
      OS_REGION_NAME: region,
    });
    const strataCliWith = async (env: Record<string, string>, ...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const log = jest.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
      const error = jest.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s));
      try {
        return { code: await runCli(argv, env), stdout: out.join('\n'), stderr: err.join('\n') };
      } finally {
        log.mockRestore();
        error.mockRestore();
      }
    };
    const listed = await strataCliWith(passwordEnv(USERS.bob), '--json', 'backup', 'list');
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((b) => b.name)).toContain('kb1');
    const carol = await strataCliWith(passwordEnv(USERS.carol), '--json', 'backup', 'list');
    expect(JSON.parse(carol.stdout)).toEqual([]);
    const wrong = await strataCliWith(passwordEnv(USERS.alice, 'wrong'), 'backup', 'list');
    expect(wrong).toMatchObject({ code: 1, stderr: expect.stringContaining('Keystone refused the login') });
  });
});
