import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freshAccountUrl, removeAccount, startSwiftSaio, type SwiftSaio } from '../../support/swift-saio';
import type { RunningStrata } from './strata-app';

/** A backup_driver the end-to-end suites run against, with a way to look into its repository. */
export interface BackupDriverUnderTest {
  readonly name: 'posix' | 'swift';
  /** Strata's environment for this driver, with data objects of `objectSizeBytes`. */
  env(objectSizeBytes: number): Record<string, string>;
  /** Every object name in the repository that mentions the backup id. */
  objectsOf(strata: RunningStrata, backupId: string): Promise<string[]>;
  /** Removes what env() set up (the Swift account). */
  cleanup(): Promise<void>;
}

const posixFiles = (root: string): string[] =>
  readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

export const posixDriver = (): BackupDriverUnderTest => ({
  name: 'posix',
  env: (objectSizeBytes) => ({
    STRATA_BACKUP_DRIVER: 'cinder.backup.drivers.posix.PosixBackupDriver',
    STRATA_BACKUP_FILE_SIZE: String(objectSizeBytes),
  }),
  objectsOf: async (strata, backupId) => posixFiles(strata.options.backup_posix_path).filter((f) => f.includes(backupId)),
  cleanup: async () => undefined,
});

/** Swift through tempauth; each driver gets its own account (backup_swift_url), so runs never see each other's objects. */
export const swiftDriver = (saio: SwiftSaio): BackupDriverUnderTest => {
  const account = freshAccountUrl(saio, 'e2e');
  const token = async () => {
    const res = await fetch(saio.authUrl, { headers: { 'X-Auth-User': saio.resellerUser, 'X-Auth-Key': saio.resellerKey } });
    return res.headers.get('x-auth-token') ?? '';
  };
  return {
    name: 'swift',
    env: (objectSizeBytes) => ({
      STRATA_BACKUP_DRIVER: 'cinder.backup.drivers.swift.SwiftBackupDriver',
      STRATA_BACKUP_SWIFT_AUTH_URL: saio.authUrl,
      STRATA_BACKUP_SWIFT_AUTH_VERSION: '1',
      STRATA_BACKUP_SWIFT_USER: saio.resellerUser,
      STRATA_BACKUP_SWIFT_KEY: saio.resellerKey,
      STRATA_BACKUP_SWIFT_URL: account,
      STRATA_BACKUP_SWIFT_RETRY_BACKOFF: '1',
      STRATA_BACKUP_SWIFT_OBJECT_SIZE: String(objectSizeBytes),
    }),
    async objectsOf(_strata, backupId) {
      const headers = { 'X-Auth-Token': await token() };
      const containers = await fetch(`${account}?format=json`, { headers });
      if (containers.status !== 200) return [];
      const names: string[] = [];
      for (const { name: c } of (await containers.json()) as { name: string }[]) {
        const list = await fetch(`${account}/${encodeURIComponent(c)}?format=json`, { headers });
        if (list.status === 200) names.push(...((await list.json()) as { name: string }[]).map((o) => `${c}/${o.name}`));
      }
      return names.filter((n) => n.includes(backupId));
    },
    cleanup: () => removeAccount(saio, account),
  };
};

/** posix always; Swift too unless its packages are missing (then the Swift runs are skipped loudly). */
export const backupDrivers = (): BackupDriverUnderTest[] => {
  const saio = startSwiftSaio();
  return saio ? [posixDriver(), swiftDriver(saio)] : [posixDriver()];
};
