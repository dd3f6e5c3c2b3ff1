import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runBackup, type RunBackupArgs } from '../backup-engine';
import type { DriverOptions } from '../driver-options';
import type { BackupHeader } from '../metadata-file';
import { defaultPosixContainer, posixObjectPrefix } from '../object-names';
import { PosixRepository } from '../repositories/posix.repository';
import type { Sha256File } from '../sha256-file';

/** Factories for driver specs: temp directories, seeded volumes, headers with every field defaulted. */

export const GOLDEN_DIR = path.resolve(__dirname, '../../../../../shared/fixtures/cinder-posix-golden');
export const goldenDir = (): string => process.env['CINDER_GOLDEN_DIR'] ?? GOLDEN_DIR;

export const tempDir = async (label = 'strata-driver-'): Promise<{ dir: string; cleanup: () => Promise<void> }> => {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), label));
  return { dir, cleanup: () => fsp.rm(dir, { recursive: true, force: true }) };
};

/** Deterministic bytes (xorshift32), incompressible. */
export const seededBytes = (length: number, seed = 1): Buffer => {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
};

export const textBytes = (length: number): Buffer =>
  Buffer.from('the quick brown fox jumps over the lazy dog. '.repeat(Math.ceil(length / 45)).slice(0, length));

let backupCounter = 0;

export const header = (overrides: Partial<BackupHeader> = {}): BackupHeader => {
  backupCounter++;
  return {
    backupId: `bbbbbbbb-1111-4222-8333-${String(backupCounter).padStart(12, '0')}`,
    volumeId: 'aaaaaaaa-1111-4222-8333-444444444444',
    name: 'backup',
    description: null,
    createdAt: '2024-05-06T07:08:09Z',
    volumeMeta: null,
    parentId: null,
    ...overrides,
  };
};

export const smallOptions = (overrides: Partial<DriverOptions> = {}): DriverOptions => ({
  objectSizeBytes: 8192,
  shaBlockSizeBytes: 1024,
  compression: 'zlib',
  workers: 1,
  ...overrides,
});

/** A posix repository in a temp dir plus a helper that backs up a file into it, Cinder's way. */
export const driverWorld = async () => {
  const { dir, cleanup } = await tempDir();
  const root = path.join(dir, 'repo');
  await fsp.mkdir(root);
  const repository = new PosixRepository(root);
  const volumePath = path.join(dir, 'volume.img');
  const backup = async (h: BackupHeader, options: DriverOptions, more: Partial<RunBackupArgs> & { parent?: Sha256File | null } = {}) => {
    const container = defaultPosixContainer(h.backupId);
    const prefix = posixObjectPrefix({ volumeId: h.volumeId, backupId: h.backupId, at: new Date('2024-05-06T07:08:09Z') });
    const result = await runBackup({ repository, container, prefix, source: { path: volumePath }, header: h, options, ...more });
    return { container, prefix, result };
  };
  return { dir, root, repository, volumePath, backup, cleanup };
};
