import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** Debian's interpreter: python3-cinder lives there, not in whatever python3 comes first on PATH. */
export const SYSTEM_PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, '..', 'cinder_restore.py');

export interface CinderBackupRef {
  readonly id: string;
  readonly container: string;
  readonly prefix: string;
}

export interface CinderRestoreJob {
  readonly target: string;
  readonly volumeId: string;
  /** Full backup first, the backup to restore last. */
  readonly chain: readonly CinderBackupRef[];
}

export interface CinderRestoreResult {
  readonly restored: string;
  /** Each `volume_meta` Cinder applied, full backup first. */
  readonly volumeMeta: readonly string[];
}

/**
 * Throws unless Cinder's posix driver and python-zstd import under /usr/bin/python3. CI installs
 * python3-cinder (which pulls in python3-zstd), so a missing package is a failure, never a skip.
 */
export const assertCinderInstalled = (): void => {
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import cinder.backup.drivers.posix, zstd'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new Error(
      `Cinder's PosixBackupDriver cannot be imported with ${SYSTEM_PYTHON} ` +
        `(${probe.error?.message ?? probe.stderr.trim().split('\n').pop()}). ` +
        "Install Debian's python3-cinder and python3-zstd: apt-get install -y python3-cinder python3-zstd",
    );
};

/** Runs test/compat/cinder_restore.py once for all `jobs` (importing cinder takes seconds). */
export const restoreWithCinder = (root: string, jobs: readonly CinderRestoreJob[]): Promise<CinderRestoreResult[]> =>
  new Promise((resolve, reject) => {
    const child = spawn(SYSTEM_PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`cinder_restore.py exited with ${code}:\n${stderr.slice(-4000)}`));
      resolve(
        stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as CinderRestoreResult),
      );
    });
    child.stdin.end(JSON.stringify({ root, restores: jobs }));
  });
