import {
  defaultPosixContainer,
  NfsRepository,
  PosixRepository,
  SwiftRepository,
  type BackupRepository,
  type DriverOptions,
  type PrefixStyle,
} from '@strata/chunked-driver';
import type { StrataOptions } from '@strata/config';
import { mkdirSync } from 'node:fs';

/** Cinder's class paths and module names for the drivers Strata implements. */
const SERVICES = {
  posix: ['cinder.backup.drivers.posix.PosixBackupDriver', 'cinder.backup.drivers.posix', 'posix'],
  nfs: ['cinder.backup.drivers.nfs.NFSBackupDriver', 'cinder.backup.drivers.nfs', 'nfs'],
  swift: ['cinder.backup.drivers.swift.SwiftBackupDriver', 'cinder.backup.drivers.swift', 'swift'],
} as const;

export type RepositoryKind = keyof typeof SERVICES;

export const repositoryKind = (service: string): RepositoryKind | null => {
  for (const [kind, names] of Object.entries(SERVICES) as [RepositoryKind, readonly string[]][])
    if (names.some((s) => service.startsWith(s) || s.startsWith(service))) return kind;
  return null;
};

export class UnsupportedBackupService extends Error {
  override readonly name = 'UnsupportedBackupService';
  constructor(
    readonly service: string,
    reason = 'configure backup_driver with a supported driver',
  ) {
    super(`Backup service ${service} is not available on this Strata; ${reason}.`);
  }
}

/**
 * The backup repository that holds a backup, chosen by the service recorded with it, so restores and
 * deletes go where the data is even after the configured default changes. Swift and NFS are set up on
 * first use, from the same options whichever driver is the default.
 */
export class BackupRepositories {
  private readonly posix: PosixRepository;
  private swift: SwiftRepository | null = null;
  private nfs: NfsRepository | null = null;

  constructor(private readonly options: StrataOptions) {
    // As Cinder's posix driver does at start: the repository root exists before the first backup.
    mkdirSync(options.backup_posix_path, { recursive: true, mode: 0o770 });
    this.posix = new PosixRepository(options.backup_posix_path);
  }

  get defaultService(): string {
    return this.options.backup_driver;
  }

  private kindOf(service: string): RepositoryKind {
    const kind = repositoryKind(service);
    if (!kind) throw new UnsupportedBackupService(service);
    return kind;
  }

  forService(service: string): BackupRepository {
    switch (this.kindOf(service)) {
      case 'posix':
        return this.posix;
      case 'nfs':
        return (this.nfs ??= this.openNfs(service));
      case 'swift':
        return (this.swift ??= this.openSwift(service));
    }
  }

  prefixStyle(service: string): PrefixStyle {
    return this.kindOf(service) === 'swift' ? 'object-store' : 'posix';
  }

  /** Cinder's default container per driver: Swift's one container, or the posix/NFS directory per backup. */
  defaultContainer(service: string, backupId: string): string {
    if (this.kindOf(service) === 'swift') return this.options.backup_swift_container;
    return this.options.backup_container || defaultPosixContainer(backupId);
  }

  /** Object and SHA block sizes: backup_swift_* for Swift, backup_file_size / backup_sha_block_size_bytes otherwise. */
  driverOptions(service: string): DriverOptions {
    const o = this.options;
    const swift = this.kindOf(service) === 'swift';
    return {
      objectSizeBytes: swift ? o.backup_swift_object_size : o.backup_file_size,
      shaBlockSizeBytes: swift ? o.backup_swift_block_size : o.backup_sha_block_size_bytes,
      compression: o.backup_compression_algorithm,
      compressionLevel: o.backup_compression_level,
    };
  }

  /** backup_swift_enable_progress_timer for Swift, backup_enable_progress_timer otherwise. */
  progressTimerEnabled(service: string): boolean {
    return this.kindOf(service) === 'swift' ? this.options.backup_swift_enable_progress_timer : this.options.backup_enable_progress_timer;
  }

  /** Lets go of idle connections. */
  close(): void {
    this.swift?.close();
  }

  private openSwift(service: string): SwiftRepository {
    const o = this.options;
    if (!o.backup_swift_auth_url || !o.backup_swift_user)
      throw new UnsupportedBackupService(service, 'backup_swift_auth_url and backup_swift_user are not configured');
    return new SwiftRepository({
      auth: {
        authUrl: o.backup_swift_auth_url,
        authVersion: o.backup_swift_auth_version as '1' | '2' | '3',
        user: o.backup_swift_user,
        key: o.backup_swift_key,
        tenant: o.backup_swift_tenant || undefined,
        project: o.backup_swift_project || undefined,
        userDomain: o.backup_swift_user_domain || undefined,
        projectDomain: o.backup_swift_project_domain || undefined,
        storageUrl: o.backup_swift_url || undefined,
      },
      retry: { attempts: o.backup_swift_retry_attempts, backoffSeconds: o.backup_swift_retry_backoff },
    });
  }

  private openNfs(service: string): NfsRepository {
    const o = this.options;
    if (!o.backup_share) throw new UnsupportedBackupService(service, 'backup_share is not configured');
    return new NfsRepository({
      share: o.backup_share,
      mountOptions: o.backup_mount_options,
      mountPointBase: o.backup_mount_point_base,
      attempts: o.backup_mount_attempts,
      fstype: o.backup_mount_fstype,
    });
  }
}
