import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidConfiguration, loadConfig } from './load-config';

const load = (env: Record<string, string>) => loadConfig({ env, cwd: mkdtempSync(join(tmpdir(), 'strata-config-')) });
const SWIFT = { STRATA_BACKUP_DRIVER: 'cinder.backup.drivers.swift.SwiftBackupDriver' };
const SWIFT_LOGIN = {
  ...SWIFT,
  STRATA_BACKUP_SWIFT_AUTH_URL: 'http://127.0.0.1:8080/auth/v1.0',
  STRATA_BACKUP_SWIFT_USER: 'test:tester',
  STRATA_BACKUP_SWIFT_KEY: 'testing',
};

describe('loadConfig: backup repository options', () => {
  it("gives the Swift options Cinder's defaults, with single_user logins", () => {
    expect(load(SWIFT_LOGIN)).toMatchObject({
      backup_swift_container: 'volumebackups',
      backup_swift_object_size: 52428800,
      backup_swift_block_size: 32768,
      backup_swift_auth: 'single_user',
      backup_swift_auth_version: '1',
      backup_swift_retry_attempts: 3,
      backup_swift_retry_backoff: 2,
      backup_swift_enable_progress_timer: true,
    });
  });

  it('refuses the Swift driver without backup_swift_auth_url, backup_swift_user or backup_swift_key', () => {
    expect(() => load(SWIFT)).toThrow(
      new InvalidConfiguration('backup_driver cinder.backup.drivers.swift.SwiftBackupDriver needs backup_swift_auth_url'),
    );
    expect(() => load({ ...SWIFT_LOGIN, STRATA_BACKUP_SWIFT_KEY: '' })).toThrow('needs backup_swift_key');
  });

  it('refuses per_user Swift auth, saying why and what to use instead', () => {
    expect(() => load({ ...SWIFT_LOGIN, STRATA_BACKUP_SWIFT_AUTH: 'per_user' })).toThrow(
      /^backup_swift_auth = per_user needs the requesting user's token.*use backup_swift_auth = single_user/,
    );
  });

  it('refuses a Keystone login without a project or tenant', () => {
    expect(() => load({ ...SWIFT_LOGIN, STRATA_BACKUP_SWIFT_AUTH_VERSION: '3' })).toThrow(
      'backup_swift_auth_version 3 needs backup_swift_project or backup_swift_tenant',
    );
    expect(
      load({ ...SWIFT_LOGIN, STRATA_BACKUP_SWIFT_AUTH_VERSION: '3', STRATA_BACKUP_SWIFT_PROJECT: 'backups' }).backup_swift_project,
    ).toBe('backups');
  });

  it('refuses a Swift object size that is not a multiple of the Swift block size, naming both', () => {
    expect(() => load({ ...SWIFT_LOGIN, STRATA_BACKUP_SWIFT_OBJECT_SIZE: String(52428800 + 1024) })).toThrow(
      'backup_swift_object_size (52429824) must be a multiple of backup_swift_block_size (32768)',
    );
  });

  it('refuses the NFS driver without a backup_share of the form HOST:EXPORT_PATH', () => {
    const NFS = { STRATA_BACKUP_DRIVER: 'cinder.backup.drivers.nfs.NFSBackupDriver' };
    expect(() => load(NFS)).toThrow(
      'backup_driver cinder.backup.drivers.nfs.NFSBackupDriver needs backup_share as HOST:EXPORT_PATH, got ""',
    );
    expect(load({ ...NFS, STRATA_BACKUP_SHARE: 'filer:/export/backups' })).toMatchObject({
      backup_mount_attempts: 3,
      backup_mount_fstype: 'nfs',
    });
  });
});
