import { PosixRepository, type BackupRepository } from '@strata/chunked-driver';
import type { StrataOptions } from '@strata/config';
import { mkdirSync } from 'node:fs';

/** Cinder's class paths and module names for the drivers Strata implements. */
const POSIX_SERVICES = ['cinder.backup.drivers.posix.PosixBackupDriver', 'cinder.backup.drivers.posix', 'posix'];

export class UnsupportedBackupService extends Error {
  override readonly name = 'UnsupportedBackupService';
  constructor(readonly service: string) {
    super(`Backup service ${service} is not available on this Strata; configure backup_driver with a supported driver.`);
  }
}

/**
 * The backup repository that holds a backup, chosen by the service recorded with it, so restores and
 * deletes go where the data is even after the configured default changes.
 */
export class BackupRepositories {
  private readonly posix: PosixRepository;

  constructor(private readonly options: StrataOptions) {
    // As Cinder's posix driver does at start: the repository root exists before the first backup.
    mkdirSync(options.backup_posix_path, { recursive: true, mode: 0o770 });
    this.posix = new PosixRepository(options.backup_posix_path);
  }

  get defaultService(): string {
    return this.options.backup_driver;
  }

  forService(service: string): BackupRepository {
    if (POSIX_SERVICES.some((s) => service.startsWith(s) || s.startsWith(service))) return this.posix;
    throw new UnsupportedBackupService(service);
  }

  prefixStyle(service: string): 'posix' | 'object-store' {
    return POSIX_SERVICES.some((s) => service.startsWith(s)) ? 'posix' : 'object-store';
  }
}
