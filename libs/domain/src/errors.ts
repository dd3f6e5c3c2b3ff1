/**
 * Domain refusals. Each carries a kind that the HTTP edge maps to a status code, and Cinder's exact
 * message: the class supplies the prefix ("Invalid backup: "), the call site the reason.
 */
/** `over_limit`: Cinder's QuotaError, a 413. */
export type DomainErrorKind = 'invalid' | 'not_found' | 'forbidden' | 'conflict' | 'over_limit';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
}

export class InvalidBackup extends DomainError {
  override readonly name = 'InvalidBackup';
  readonly kind = 'invalid';
  constructor(readonly reason: string) {
    super(`Invalid backup: ${reason}`);
  }
}

/** Restoring or verifying an imported incremental before its parent was imported (Cinder: BackupNotFound at restore). */
export const incompleteChain = (backupId: string, missingParentId: string) =>
  new InvalidBackup(`Backup ${backupId} needs backup ${missingParentId}, which is not in the catalog: import it first.`);

export class InvalidVolume extends DomainError {
  override readonly name = 'InvalidVolume';
  readonly kind = 'invalid';
  constructor(readonly reason: string) {
    super(`Invalid volume: ${reason}`);
  }
}

export class InvalidSnapshot extends DomainError {
  override readonly name = 'InvalidSnapshot';
  readonly kind = 'invalid';
  constructor(readonly reason: string) {
    super(`Invalid snapshot: ${reason}`);
  }
}

/** A refusal whose whole text is Cinder's, with no "Invalid x:" prefix. */
export class InvalidInput extends DomainError {
  override readonly name = 'InvalidInput';
  readonly kind = 'invalid';
}

export class BackupNotFound extends DomainError {
  override readonly name = 'BackupNotFound';
  readonly kind = 'not_found';
  constructor(readonly backupId: string) {
    super(`Backup ${backupId} could not be found.`);
  }
}

export class VolumeNotFound extends DomainError {
  override readonly name = 'VolumeNotFound';
  readonly kind = 'not_found';
  constructor(readonly volumeId: string) {
    super(`Volume ${volumeId} could not be found.`);
  }
}

export class SnapshotNotFound extends DomainError {
  override readonly name = 'SnapshotNotFound';
  readonly kind = 'not_found';
  constructor(readonly snapshotId: string) {
    super(`Snapshot ${snapshotId} could not be found.`);
  }
}
