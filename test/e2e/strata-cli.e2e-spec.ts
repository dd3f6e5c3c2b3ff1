import { EVENT_STORE, type EventStore } from '@strata/event-store';
import { runCli } from '../../apps/cli/src/main';
import { startStrata, type RunningStrata } from './support/strata-app';

const TOKEN = 'cli-user:cli-project';

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in-process and captures what it prints: console output, and the progress it writes to
 * stderr (not a TTY here, so plain lines). `onStderr` sees each progress write as it happens.
 */
const strataCli = async (strata: RunningStrata, argv: string[], onStderr?: (text: string) => void): Promise<CliRun> => {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  const error = jest.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s));
  const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk).replace(/\n$/, ''));
    onStderr?.(String(chunk));
    return true;
  });
  try {
    const code = await runCli(argv, { STRATA_URL: `${strata.baseUrl}/v3`, STRATA_TOKEN: TOKEN, STRATA_PROGRESS_INTERVAL: '0' });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
};

const cli =
  (strata: RunningStrata) =>
  (...argv: string[]) =>
    strataCli(strata, argv);
const json = (run: CliRun) => JSON.parse(run.stdout);

// Several 1 GiB backups and restores, each waited for.
jest.setTimeout(240_000);

describe('the strata command', () => {
  let strata: RunningStrata;
  let run: (...argv: string[]) => Promise<CliRun>;
  const api = () => strata.client.as({ 'X-Auth-Token': TOKEN });
  const eventTypes = async (backupId: string) => {
    const types: string[] = [];
    for await (const e of strata.app.get<EventStore>(EVENT_STORE).readStream(`backup-${backupId}`)) types.push(e.type);
    return types;
  };

  beforeAll(async () => {
    strata = await startStrata();
    run = cli(strata);
    expect((await run('volume', 'create', 'cli-vol', '--size', '1', '--wait')).code).toBe(0);
  });
  afterAll(async () => strata?.close());

  describe('a chain of backups, from creation to deletion', () => {
    let fullId: string;
    let incrementalId: string;

    it('creates a full backup by volume name and waits for it, with progress on stderr', async () => {
      const created = await run('--json', 'backup', 'create', '--name', 'cli-full', '--wait', 'cli-vol');
      expect(created.code).toBe(0);
      const backup = json(created);
      expect(backup).toMatchObject({ name: 'cli-full', status: 'available', is_incremental: false });
      expect(created.stderr).toMatch(/^backup [0-9a-f]{8} {2}100\.0% {2}1\.0 GiB \/ 1\.0 GiB {2}[\d.]+ MB\/s/m);
      fullId = backup.id;
    });

    it('creates an incremental on top of it', async () => {
      const created = await run('--json', 'backup', 'create', '--incremental', '--name', 'cli-incr', '--wait', 'cli-vol');
      expect(created.code).toBe(0);
      expect(json(created)).toMatchObject({ name: 'cli-incr', status: 'available', is_incremental: true });
      incrementalId = json(created).id;
    });

    it("lists backups in openstack's columns, and --long adds the volume by name", async () => {
      const listed = await run('backup', 'list');
      expect(listed.stdout.split('\n')[1]).toMatch(/^\| ID +\| Name +\| Description \| Status +\| Size \|$/);
      expect(listed.stdout).toMatch(new RegExp(`\\| ${fullId} \\| cli-full +\\| +\\| available \\| 1 +\\|`));
      const long = await run('backup', 'list', '--long', '--name', 'cli-incr');
      expect(long.stdout).toMatch(/\| Availability Zone \| Volume +\| Container +\| Incremental \| Created At/);
      expect(long.stdout).toMatch(new RegExp(`\\| ${incrementalId} \\| cli-incr .*\\| cli-vol +\\| .*\\| true +\\|`));
      expect(long.stdout).not.toContain(fullId);
    });

    it('shows a backup by name as Field/Value, and renames it with set', async () => {
      const shown = await run('backup', 'show', 'cli-full');
      expect(shown.stdout).toMatch(new RegExp(`\\| id +\\| ${fullId} +\\|`));
      expect(shown.stdout).toMatch(/\| status +\| available +\|/);
      expect((await run('backup', 'set', '--name', 'cli-full-2', '--description', 'first', 'cli-full')).code).toBe(0);
      expect(json(await run('--json', 'backup', 'show', fullId))).toMatchObject({ name: 'cli-full-2', description: 'first' });
    });

    it('restores the incremental into a new volume named on the command line, recording restore progress', async () => {
      const restored = await run('--json', 'backup', 'restore', '--wait', 'cli-incr', 'cli-copy');
      expect(restored.code).toBe(0);
      const { volume_id: volumeId } = json(restored);
      expect(json(await run('--json', 'volume', 'show', 'cli-copy'))).toMatchObject({ id: volumeId, status: 'available', size: 1 });
      expect(restored.stderr).toMatch(/^restore [0-9a-f]{8} {2}100\.0%/m);
      expect(await eventTypes(incrementalId)).toEqual(
        expect.arrayContaining(['RestoreRequested', 'RestoreProgressed', 'RestoreCompleted']),
      );
    });

    it('refuses to delete a backup that has an incremental, as openstack reports it', async () => {
      const refused = await run('backup', 'delete', 'cli-full-2');
      expect(refused).toMatchObject({
        code: 1,
        stderr:
          "Failed to delete backup with name or ID 'cli-full-2': Invalid backup: Incremental backups exist for this backup. (HTTP 400)\n1 of 1 backups failed to delete.",
      });
    });

    it('deletes several backups in one command, reporting the ones it could not', async () => {
      const res = await run('backup', 'delete', 'cli-incr', 'nope');
      expect(res).toMatchObject({
        code: 1,
        stderr:
          "Failed to delete backup with name or ID 'nope': No backup with a name or ID of 'nope' exists.\n1 of 2 backups failed to delete.",
      });
      await api().waitFor('/v3/backups/detail', (b: any) => b.backups.every((x: any) => x.id !== incrementalId));
      expect((await run('backup', 'delete', 'cli-full-2')).code).toBe(0);
      await api().waitFor('/v3/backups/detail', (b: any) => b.backups.length === 0);
    });
  });

  describe('snapshots', () => {
    it('creates, lists, shows and deletes a snapshot of a volume by name', async () => {
      const created = await run('--json', 'snapshot', 'create', '--volume', 'cli-vol', 'cli-snap');
      expect(created.code).toBe(0);
      const { id } = json(created);
      await api().waitFor(`/v3/snapshots/${id}`, (b: any) => b.snapshot.status === 'available');
      expect((await run('snapshot', 'list', '--volume', 'cli-vol')).stdout).toMatch(new RegExp(`\\| ${id} \\| cli-snap \\|`));
      expect(json(await run('--json', 'snapshot', 'show', 'cli-snap'))).toMatchObject({ id, name: 'cli-snap' });
      expect((await run('snapshot', 'delete', 'cli-snap')).code).toBe(0);
    });
  });

  describe('--wait interrupted with Ctrl-C', () => {
    it('stops waiting, leaves the backup running, says how to cancel it and exits 130', async () => {
      let interrupted = false;
      const waited = await strataCli(strata, ['backup', 'create', '--name', 'cli-ctrl-c', '--wait', 'cli-vol'], () => {
        if (!interrupted) {
          interrupted = true;
          process.emit('SIGINT');
        }
      });
      expect(waited.code).toBe(130);
      const id = /strata backup delete --force ([0-9a-f-]{36})/.exec(waited.stderr)?.[1];
      expect(waited.stderr).toContain(`Stopped waiting. Backup ${id} keeps running. To cancel it: strata backup delete --force ${id}`);
      await api().waitFor(`/v3/backups/${id}`, (b: any) => b.backup.status === 'available');
      expect((await run('backup', 'delete', 'cli-ctrl-c')).code).toBe(0);
    });
  });

  describe('errors', () => {
    it('names what it could not find, as openstack does, and exits 1', async () => {
      expect(await run('backup', 'show', 'nope')).toMatchObject({ code: 1, stderr: "No backup with a name or ID of 'nope' exists." });
      expect(await run('backup', 'create', 'no-such-volume')).toMatchObject({
        code: 1,
        stderr: "No volume with a name or ID of 'no-such-volume' exists.",
      });
      const reset = await run('backup', 'reset-state', '--state', 'error', 'nope');
      expect(reset).toMatchObject({ code: 1, stderr: "Reset state for backup nope failed: No backup with a name or ID of 'nope' exists." });
    });

    it("prints the server's refusal with its HTTP status", async () => {
      const created = json(await run('--json', 'backup', 'create', '--wait', 'cli-vol'));
      const refused = await run('backup', 'set', '--state', 'creating', created.id);
      expect(refused).toMatchObject({
        code: 1,
        stderr: "Failed to set backup state: Backup status: creating is invalid, valid statuses are: ['available', 'error']. (HTTP 400)",
      });
      expect((await run('backup', 'delete', created.id)).code).toBe(0);
    });

    it("prints the verb's usage and exits 2 on a usage error", async () => {
      const unknownFlag = await run('backup', 'show', '--colour', 'x');
      expect(unknownFlag).toMatchObject({
        code: 2,
        stderr: 'usage: strata backup show BACKUP\nstrata backup show: error: unrecognized arguments: --colour',
      });
      const missing = await run('backup', 'create', '--name', 'n');
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('strata backup create: error: the following arguments are required: VOLUME');
      expect((await run('backup', 'create', 'cli-vol', '--name')).stderr).toContain('error: argument --name: expected one argument');
      expect((await run('volume', 'create', 'v', '--size', 'big')).stderr).toContain("argument --size: invalid int value: 'big'");
      expect((await run('backup', 'set', 'x')).code).toBe(2);
    });

    it('prints the overview for an unknown verb and exits 2', async () => {
      const res = await run('volume', 'fly');
      expect(res.code).toBe(2);
      expect(res.stderr).toContain("strata: error: unknown command 'volume fly'");
      expect(res.stderr).toContain('strata volume create --size GB');
      expect(res.stderr).not.toContain('strata backup create');
    });

    it('prints per-verb help on --help and exits 0', async () => {
      const help = await run('backup', 'create', '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^usage: strata backup create \[--name N\].* VOLUME\n/);
      expect(help.stdout).toContain('--wait ');
      const overview = await run('--help');
      expect(overview.code).toBe(0);
      for (const verb of ['volume list', 'snapshot create', 'backup restore', 'backup set', 'backup reset-state'])
        expect(overview.stdout).toContain(`strata ${verb}`);
    });
  });
});
