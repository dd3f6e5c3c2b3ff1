import { runCli } from '../../apps/cli/src/main';
import { startStrata, type RunningStrata } from './support/strata-app';

/** Runs the CLI in-process and captures what it prints. */
const strataCli = async (strata: RunningStrata, ...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  const error = jest.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s));
  try {
    const code = await runCli(argv, { STRATA_URL: `${strata.baseUrl}/v3`, STRATA_TOKEN: 'cli-user:cli-project' });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
};

describe('the strata command', () => {
  let strata: RunningStrata;
  beforeAll(async () => {
    strata = await startStrata();
  });
  afterAll(async () => strata?.close());

  it('creates a volume and a backup by name, lists and shows them, and deletes the backup', async () => {
    expect((await strataCli(strata, 'volume', 'create', 'cli-vol', '--size', '1')).code).toBe(0);
    await strata.client.as({ 'X-Auth-Token': 'cli-user:cli-project' })
      .waitFor('/v3/volumes/detail', (b: any) => b.volumes.some((v: any) => v.name === 'cli-vol' && v.status === 'available'));
    const created = await strataCli(strata, '--json', 'backup', 'create', 'cli-vol', '--name', 'cli-b');
    expect(created.code).toBe(0);
    const { id } = JSON.parse(created.stdout);
    await strata.client.as({ 'X-Auth-Token': 'cli-user:cli-project' })
      .waitFor(`/v3/backups/${id}`, (b: any) => b.backup.status === 'available');
    const listed = await strataCli(strata, 'backup', 'list');
    expect(listed.stdout).toMatch(/\| cli-b +\| available +\|/);
    const shown = await strataCli(strata, '--json', 'backup', 'show', 'cli-b');
    expect(JSON.parse(shown.stdout)).toMatchObject({ id, name: 'cli-b', status: 'available', is_incremental: false });
    expect((await strataCli(strata, 'backup', 'delete', 'cli-b')).code).toBe(0);
  });

  it("prints the server's refusal and exits 1", async () => {
    const res = await strataCli(strata, 'backup', 'create', 'no-such-volume');
    expect(res).toMatchObject({ code: 1, stderr: "No volume with a name or ID of 'no-such-volume' exists." });
    const refused = await strataCli(strata, 'backup', 'reset-state', 'nope', '--state', 'error');
    expect(refused.code).toBe(1);
  });

  it('prints its usage for an unknown verb and exits 2', async () => {
    expect((await strataCli(strata, 'volume', 'fly')).code).toBe(2);
  });
});
