import { NfsRepository, PosixRepository, SwiftRepository } from '@strata/chunked-driver';
import { loadConfig } from '@strata/config';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupRepositories, repositoryKind, UnsupportedBackupService } from './backup-repositories';

const POSIX = 'cinder.backup.drivers.posix.PosixBackupDriver';
const NFS = 'cinder.backup.drivers.nfs.NFSBackupDriver';
const SWIFT = 'cinder.backup.drivers.swift.SwiftBackupDriver';
const ID = 'bbbbbbbb-1111-4222-8333-000000000001';

describe('BackupRepositories', () => {
  let dir: string;
  const repositories = (env: Record<string, string> = {}) =>
    new BackupRepositories(loadConfig({ env: { STRATA_STATE_PATH: dir, ...env }, cwd: dir }));
  const withSwift = {
    STRATA_BACKUP_SWIFT_AUTH_URL: 'http://127.0.0.1:8080/auth/v1.0',
    STRATA_BACKUP_SWIFT_USER: 'test:tester',
    STRATA_BACKUP_SWIFT_KEY: 'testing',
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-repositories-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("knows Cinder's class paths, module paths and short names", () => {
    expect([POSIX, 'cinder.backup.drivers.posix', 'posix'].map(repositoryKind)).toEqual(['posix', 'posix', 'posix']);
    expect([NFS, 'cinder.backup.drivers.nfs', SWIFT, 'swift'].map(repositoryKind)).toEqual(['nfs', 'nfs', 'swift', 'swift']);
    expect(repositoryKind('cinder.backup.drivers.ceph.CephBackupDriver')).toBeNull();
  });

  it('picks the repository by the service recorded with the backup, whatever the default', () => {
    const r = repositories({ ...withSwift, STRATA_BACKUP_SHARE: 'filer:/export' });
    expect(r.defaultService).toBe(POSIX);
    expect(r.forService(POSIX)).toBeInstanceOf(PosixRepository);
    expect(r.forService(SWIFT)).toBeInstanceOf(SwiftRepository);
    expect(r.forService(SWIFT)).toBe(r.forService('cinder.backup.drivers.swift'));
    expect(r.forService(NFS)).toBeInstanceOf(NfsRepository);
    r.close();
  });

  it("uses each driver's container, prefix style and object and block sizes", () => {
    const r = repositories({
      ...withSwift,
      STRATA_BACKUP_SWIFT_OBJECT_SIZE: String(1 << 20),
      STRATA_BACKUP_SWIFT_ENABLE_PROGRESS_TIMER: 'false',
    });
    expect([r.defaultContainer(POSIX, ID), r.defaultContainer(SWIFT, ID)]).toEqual([`bb/bb/${ID}`, 'volumebackups']);
    expect([r.prefixStyle(POSIX), r.prefixStyle(NFS), r.prefixStyle(SWIFT)]).toEqual(['posix', 'posix', 'object-store']);
    expect(r.driverOptions(SWIFT)).toMatchObject({ objectSizeBytes: 1 << 20, shaBlockSizeBytes: 32768 });
    expect(r.driverOptions(POSIX)).toMatchObject({ objectSizeBytes: 1999994880, shaBlockSizeBytes: 32768 });
    expect([r.progressTimerEnabled(POSIX), r.progressTimerEnabled(SWIFT)]).toEqual([true, false]);
  });

  it('says which options are missing when a backup needs a driver that is not configured', () => {
    const r = repositories();
    expect(() => r.forService(SWIFT)).toThrow(
      new UnsupportedBackupService(SWIFT, 'backup_swift_auth_url and backup_swift_user are not configured'),
    );
    expect(() => r.forService(NFS)).toThrow('backup_share is not configured');
    expect(() => r.forService('cinder.backup.drivers.ceph.CephBackupDriver')).toThrow(UnsupportedBackupService);
  });
});
