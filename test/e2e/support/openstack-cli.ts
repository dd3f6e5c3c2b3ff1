import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Debian packages' entry points (python3-cinderclient 9.1.0, python3-openstackclient 6.0.0). */
export const CINDER = '/usr/bin/cinder';
export const OPENSTACK = '/usr/bin/openstack';

export interface CliResult {
  readonly rc: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A CLI bound to one Strata: `run(...args)` executes one command and resolves with its exit code and output. */
export interface Cli {
  run(...args: string[]): Promise<CliResult>;
}

/** Either CLI takes 2–9 s per command on a small machine; a hung one must not hold the suite. */
const COMMAND_TIMEOUT_MS = 45_000;

/**
 * Runs a program in a clean environment, like `env -i`: no OS_* or clouds.yaml of the developer's can
 * leak in. HOME is a fresh writable directory, because both CLIs write caches under `$HOME/.cache`.
 */
const runClean = (program: string, args: readonly string[], env: Record<string, string>): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    execFile(program, args, { env, cwd: env.HOME, timeout: COMMAND_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number')
        return reject(new Error(`${program} ${args.join(' ')}: ${error.message} (signal ${error.signal ?? '-'})\n${stderr}`));
      resolve({ rc: error ? (error.code as number) : 0, stdout, stderr });
    });
  });

const cleanEnv = (extra: Record<string, string>) => ({
  PATH: '/usr/bin:/bin',
  HOME: mkdtempSync(join(tmpdir(), 'strata-cli-home-')),
  LANG: 'C.UTF-8',
  ...extra,
});

export const requireClients = () => {
  const missing = [CINDER, OPENSTACK].filter((p) => !existsSync(p));
  if (missing.length > 0)
    throw new Error(`${missing.join(', ')} not installed: apt-get install python3-cinderclient python3-openstackclient (.ci/run does)`);
};

/** `cinder` with its noauth plugin: the token is `USER:PROJECT`, and the endpoint is used as given. */
export const cinderCli = (baseUrl: string, userId: string, projectId: string): Cli => {
  const env = cleanEnv({
    OS_AUTH_TYPE: 'noauth',
    CINDER_ENDPOINT: `${baseUrl}/v3`,
    OS_USER_ID: userId,
    OS_PROJECT_ID: projectId,
  });
  return { run: (...args) => runClean(CINDER, args, env) };
};

/** `openstack` without Keystone: auth type none (token `notused`, i.e. user = project = notused), microversion 3.70. */
export const openstackCli = (baseUrl: string): Cli => {
  const env = cleanEnv({});
  const prefix = ['--os-auth-type', 'none', '--os-endpoint', `${baseUrl}/v3`, '--os-volume-api-version', '3.70'];
  return { run: (...args) => runClean(OPENSTACK, [...prefix, ...args], env) };
};

/** A successful command: rc 0 and nothing on stderr (no microversion downgrade warning, no traceback). */
export const expectOk = (r: CliResult): CliResult => {
  if (r.rc !== 0 || r.stderr !== '') throw new Error(`expected success, got rc ${r.rc}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
};

/** Both CLIs print prettytable boxes; returns the rows of the first one as objects keyed by header. */
export const parseTable = (stdout: string): Record<string, string>[] => {
  const lines = stdout.split('\n').filter((l) => l.startsWith('|'));
  const cells = (line: string) =>
    line
      .slice(1, -1)
      .split('|')
      .map((c) => c.trim());
  if (lines.length === 0) return [];
  const [header, ...rows] = lines.map(cells);
  return rows.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i]])));
};

/** A `Property | Value` (cinder) or `Field | Value` (openstack) table as a plain object. */
export const parseProperties = (stdout: string): Record<string, string> =>
  Object.fromEntries(parseTable(stdout).map((row) => [row.Property ?? row.Field, row.Value]));

/**
 * Repeats a CLI command until `done` holds, with a deadline; each run takes seconds, so there is no
 * pause between runs. Fails with the last output.
 */
export const pollCli = async (
  what: string,
  command: () => Promise<CliResult>,
  done: (r: CliResult) => boolean,
  timeoutMs = 90_000,
): Promise<CliResult> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await command();
    if (done(result)) return result;
    if (Date.now() > deadline)
      throw new Error(`waited ${timeoutMs} ms for ${what}; last run rc ${result.rc}\n${result.stdout}\n${result.stderr}`);
  }
};
