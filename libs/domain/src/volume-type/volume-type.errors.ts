import { DomainError } from '../errors';

/** Cinder's volume type exceptions, with their texts (cinder/exception.py). */
export class VolumeTypeNotFound extends DomainError {
  override readonly name = 'VolumeTypeNotFound';
  readonly kind = 'not_found';
  constructor(readonly volumeTypeId: string) {
    super(`Volume type ${volumeTypeId} could not be found.`);
  }
}

export class VolumeTypeNotFoundByName extends DomainError {
  override readonly name = 'VolumeTypeNotFoundByName';
  readonly kind = 'not_found';
  constructor(readonly volumeTypeName: string) {
    super(`Volume type with name ${volumeTypeName} could not be found.`);
  }
}

/** `VolumeTypeExists`, which Cinder's API answers with 409. */
export class VolumeTypeExists extends DomainError {
  override readonly name = 'VolumeTypeExists';
  readonly kind = 'conflict';
  constructor(readonly nameOrId: string) {
    super(`Volume Type ${nameOrId} already exists.`);
  }
}

export class InvalidVolumeType extends DomainError {
  override readonly name = 'InvalidVolumeType';
  readonly kind = 'invalid';
  constructor(readonly reason: string) {
    super(`Invalid volume type: ${reason}`);
  }
}

export class VolumeTypeExtraSpecsNotFound extends DomainError {
  override readonly name = 'VolumeTypeExtraSpecsNotFound';
  readonly kind = 'not_found';
  constructor(
    readonly volumeTypeId: string,
    readonly key: string,
  ) {
    super(`Volume Type ${volumeTypeId} has no extra specs with key ${key}.`);
  }
}

/** An `Invalid` in Cinder, so a 400. */
export class VolumeTypeEncryptionExists extends DomainError {
  override readonly name = 'VolumeTypeEncryptionExists';
  readonly kind = 'invalid';
  constructor(readonly volumeTypeId: string) {
    super(`Volume type encryption for type ${volumeTypeId} already exists.`);
  }
}

export class VolumeTypeEncryptionNotFound extends DomainError {
  override readonly name = 'VolumeTypeEncryptionNotFound';
  readonly kind = 'not_found';
  constructor(readonly volumeTypeId: string) {
    super(`Volume type encryption for type ${volumeTypeId} does not exist.`);
  }
}

export class VolumeTypeAccessExists extends DomainError {
  override readonly name = 'VolumeTypeAccessExists';
  readonly kind = 'conflict';
  constructor(
    readonly volumeTypeId: string,
    readonly projectId: string,
  ) {
    super(`Volume type access for ${volumeTypeId} / ${projectId} combination already exists.`);
  }
}

export class VolumeTypeAccessNotFound extends DomainError {
  override readonly name = 'VolumeTypeAccessNotFound';
  readonly kind = 'not_found';
  constructor(
    readonly volumeTypeId: string,
    readonly projectId: string,
    message?: string,
  ) {
    super(message ?? `Volume type access not found for ${volumeTypeId} / ${projectId} combination.`);
  }
}
