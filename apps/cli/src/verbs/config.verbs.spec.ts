import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../main';

const run = async (env: NodeJS.ProcessEnv, ...argv: string[]) => {
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  try {
    return { code: await runCli(['config', 'check', ...argv], env), stdout: out.join('\n') };
  } finally {
    log.mockRestore();
  }
};

const conf = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'strata-config-check-')), 'strata.conf');
  writeFileSync(path, text);
  return path;
};

describe('strata config check', () => {
  it('prints every option with its value and source, then the warnings; exit 0', async () => {
    const path = conf('[DEFAULT]\nlog_level = debug\nbackup_swift_key = s3cret\nbackup_workers = 4\n');
    const { code, stdout } = await run({ STRATA_CONFIG: path, STRATA_MESSAGE_TTL: '60' });
    expect(code).toBe(0);
    expect(stdout).toContain(`config file: ${path}`);
    expect(stdout).toMatch(new RegExp(`\\| log_level +\\| debug +\\| ${path}:2 +\\|`));
    expect(stdout).toMatch(/\| message_ttl +\| 60 +\| environment STRATA_MESSAGE_TTL +\|/);
    expect(stdout).toMatch(/\| osapi_max_limit +\| 1000 +\| default +\|/);
    // A secret is not printed.
    expect(stdout).toMatch(/\| backup_swift_key +\| \*\*\*\* +\|/);
    expect(stdout).not.toContain('s3cret');
    expect(stdout).toContain(`warning: ${path}:4: backup_workers is a Cinder option that Strata does not implement`);
  });

  it('prints the errors and exits 1 when the server would not start', async () => {
    const path = conf('[DEFAULT]\nauth_strategy = kerberos\n');
    const { code, stdout } = await run({ STRATA_CONFIG: path }, '--json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.errors).toEqual([
      `Invalid value for option auth_strategy (from ${path}:2): "kerberos" is not one of noauth, tokens, keystone`,
    ]);
    expect(report.options).toContainEqual({ option: 'auth_strategy', value: 'kerberos', source: `${path}:2` });
  });

  it('names the [keystone_authtoken] option keystone needs and does not have', async () => {
    const path = conf('[DEFAULT]\nauth_strategy = keystone\n[keystone_authtoken]\nauth_url = http://k:5000/v3\n');
    const { code, stdout } = await run({ STRATA_CONFIG: path }, '--json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.errors).toEqual(['auth_strategy = keystone needs [keystone_authtoken] www_authenticate_uri']);
    expect(report.warnings).toEqual([]);
  });
});
