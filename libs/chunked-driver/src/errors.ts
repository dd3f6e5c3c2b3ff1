/**
 * Typed failures of the chunked driver. Each names the thing that went wrong and,
 * where Cinder has one, carries Cinder's exact reason text as its message.
 */
export abstract class DriverError extends Error {
  abstract readonly code: string;
}

/** Options that Cinder refuses before any I/O (e.g. a chunk size that is not a multiple of the block size). */
export class InvalidDriverOptions extends DriverError {
  override readonly name = 'InvalidDriverOptions';
  readonly code = 'invalid_driver_options';
}

/** An incremental that cannot be taken against this parent (Cinder: InvalidBackup). */
export class IncrementalNotPossible extends DriverError {
  override readonly name = 'IncrementalNotPossible';
  readonly code = 'incremental_not_possible';
}

/** The source volume cannot be backed up (Cinder: InvalidVolume). */
export class InvalidVolumeSource extends DriverError {
  override readonly name = 'InvalidVolumeSource';
  readonly code = 'invalid_volume_source';
}

export class UnsupportedBackupVersion extends DriverError {
  override readonly name = 'UnsupportedBackupVersion';
  readonly code = 'unsupported_backup_version';
  constructor(readonly version: unknown) {
    super(`No support to restore backup version ${String(version)}`);
  }
}

export class UnsupportedCompression extends DriverError {
  override readonly name = 'UnsupportedCompression';
  readonly code = 'unsupported_compression';
  constructor(readonly algorithm: string) {
    super(`unsupported compression algorithm: ${algorithm}`);
  }
}

/** A `_metadata` or `_sha256file` that is not what Cinder writes. */
export class MalformedBackupFile extends DriverError {
  override readonly name = 'MalformedBackupFile';
  readonly code = 'malformed_backup_file';
  constructor(
    readonly object: string,
    reason: string,
  ) {
    super(`${object}: ${reason}`);
  }
}

/** The container listing disagrees with the objects recorded in `_metadata` (Cinder's integrity check). */
export class BackupObjectListMismatch extends DriverError {
  override readonly name = 'BackupObjectListMismatch';
  readonly code = 'object_list_mismatch';
  constructor(
    readonly container: string,
    readonly unexpected: readonly string[],
  ) {
    super('restore_backup aborted, actual object list does not match object list stored in metadata.');
  }
}

export class MissingBackupObject extends DriverError {
  override readonly name = 'MissingBackupObject';
  readonly code = 'missing_backup_object';
  constructor(
    readonly container: string,
    readonly object: string,
  ) {
    super(`Backup object ${object} is missing from container ${container}`);
  }
}

/** An object whose md5 or a block whose SHA-256 differs from what the backup recorded. */
export class RestoreVerificationFailed extends DriverError {
  override readonly name = 'RestoreVerificationFailed';
  readonly code = 'restore_verification_failed';
  private constructor(
    message: string,
    readonly object: string | null,
    readonly blockIndex: number | null,
  ) {
    super(message);
  }
  static objectMd5(object: string, expected: string, actual: string): RestoreVerificationFailed {
    return new RestoreVerificationFailed(`Object ${object}: md5 ${actual} does not match the recorded ${expected}`, object, null);
  }
  static unreadableObject(object: string, reason: string): RestoreVerificationFailed {
    return new RestoreVerificationFailed(`Object ${object} cannot be decoded: ${reason}`, object, null);
  }
  static objectLength(object: string, expected: number, actual: number): RestoreVerificationFailed {
    return new RestoreVerificationFailed(`Object ${object}: ${actual} bytes after decompression, expected ${expected}`, object, null);
  }
  static block(blockIndex: number, expected: string, actual: string): RestoreVerificationFailed {
    return new RestoreVerificationFailed(
      `Block ${blockIndex}: SHA-256 ${actual} does not match the recorded ${expected}`,
      null,
      blockIndex,
    );
  }
  static blockCount(expected: number, actual: number): RestoreVerificationFailed {
    return new RestoreVerificationFailed(
      `The backup records ${expected} block hashes but its objects cover ${actual} blocks`,
      null,
      Math.min(expected, actual),
    );
  }
}

/** A restore that would write past the end of a target it must not grow (a managed file or device). */
export class RestoreTargetTooSmall extends DriverError {
  override readonly name = 'RestoreTargetTooSmall';
  readonly code = 'restore_target_too_small';
  constructor(
    readonly path: string,
    readonly targetBytes: number,
    readonly neededBytes: number,
  ) {
    super(`Restore target ${path} holds ${targetBytes} bytes, but the backup needs ${neededBytes}: a restore never extends its target`);
  }
}

/** Raised when the caller's AbortSignal fired; a cancelled backup leaves no object behind. */
export class OperationCancelled extends DriverError {
  override readonly name = 'OperationCancelled';
  readonly code = 'operation_cancelled';
  constructor(readonly operation: 'backup' | 'restore' | 'verify') {
    super(`The ${operation} was cancelled`);
  }
}

/**
 * An abort reason that suspends a run instead of cancelling it: the backup engine stops between
 * objects and keeps what it wrote, because another run will resume from the recorded progress.
 */
export class RunSuspended extends Error {
  override readonly name: string = 'RunSuspended';
}

/** A container name that would leave the repository root, or is otherwise unusable. */
export class InvalidContainer extends DriverError {
  override readonly name = 'InvalidContainer';
  readonly code = 'invalid_container';
  constructor(
    readonly container: string,
    reason: string,
  ) {
    super(`Invalid container ${JSON.stringify(container)}: ${reason}`);
  }
}

export class InvalidObjectName extends DriverError {
  override readonly name = 'InvalidObjectName';
  readonly code = 'invalid_object_name';
  constructor(
    readonly object: string,
    reason: string,
  ) {
    super(`Invalid object name ${JSON.stringify(object)}: ${reason}`);
  }
}

/** The repository could not be reached or answered 5xx after every retry; a later try may succeed. */
export class RepositoryUnavailable extends DriverError {
  override readonly name = 'RepositoryUnavailable';
  readonly code = 'repository_unavailable';
}

/** The object store refused our credentials, or its answer held no token. */
export class RepositoryAuthFailed extends DriverError {
  override readonly name = 'RepositoryAuthFailed';
  readonly code = 'repository_auth_failed';
  constructor(
    readonly authUrl: string,
    reason: string,
  ) {
    super(`Authentication at ${authUrl} failed: ${reason}`);
  }
}

/** The object store answered a request with a status that no retry will change. */
export class RepositoryRequestFailed extends DriverError {
  override readonly name = 'RepositoryRequestFailed';
  readonly code = 'repository_request_failed';
  constructor(
    readonly operation: string,
    readonly target: string,
    readonly status: number | undefined,
    detail: string,
  ) {
    super(`${operation} ${target} failed with HTTP ${status}${detail ? `: ${detail}` : ''}`);
  }
}

/** The store's ETag for an object differs from the md5 of the bytes sent (Cinder's Swift writer check). */
export class ObjectChecksumMismatch extends DriverError {
  override readonly name = 'ObjectChecksumMismatch';
  readonly code = 'object_checksum_mismatch';
  constructor(
    readonly object: string,
    readonly etag: string,
    readonly md5: string,
  ) {
    super(`error writing object to swift, MD5 of object in swift ${etag} is not the same as MD5 of object sent to swift ${md5}`);
  }
}

/** The NFS share (or the filesystem standing in for it) could not be mounted. */
export class ShareMountFailed extends DriverError {
  override readonly name = 'ShareMountFailed';
  readonly code = 'share_mount_failed';
  constructor(
    readonly share: string,
    readonly mountPoint: string,
    attempts: number,
    reason: string,
  ) {
    super(`Mounting backup_share ${share} at ${mountPoint} failed after ${attempts} attempt(s): ${reason}`);
  }
}
