/**
 * Errors of the volume providers. Each names the volume, what was expected and what was found,
 * so the worker can record it as a failure reason without re-wording it.
 */
export abstract class VolumeError extends Error {}

/** A path offered to the manage API that Strata cannot safely take over. */
export class InvalidManagedVolume extends VolumeError {
  override readonly name = 'InvalidManagedVolume';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Invalid managed volume ${path}: ${reason}`);
  }
}

export class InvalidVolumeSize extends VolumeError {
  override readonly name = 'InvalidVolumeSize';
  constructor(
    readonly volumeId: string,
    readonly sizeGb: number,
  ) {
    super(`Invalid volume size for volume ${volumeId}: ${sizeGb} GiB; size must be a whole number of GiB, at least 1`);
  }
}

/** Ids become file names, so anything that could escape the volume directory is refused. */
export class InvalidVolumeId extends VolumeError {
  override readonly name = 'InvalidVolumeId';
  constructor(readonly id: string) {
    super(`Invalid volume or snapshot id ${JSON.stringify(id)}: only letters, digits, '.', '_' and '-' are allowed`);
  }
}

/** A create was repeated with a different size: the existing image is not overwritten. */
export class VolumeAlreadyExists extends VolumeError {
  override readonly name = 'VolumeAlreadyExists';
  constructor(
    readonly path: string,
    readonly expectedBytes: number,
    readonly actualBytes: number,
  ) {
    super(`Volume image ${path} already exists with ${actualBytes} bytes, expected ${expectedBytes}`);
  }
}

/** A location handed back for deletion that this provider did not create. */
export class ForeignVolumeLocation extends VolumeError {
  override readonly name = 'ForeignVolumeLocation';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Refusing to delete ${path}: ${reason}`);
  }
}

export class VolumeCopyFailed extends VolumeError {
  override readonly name = 'VolumeCopyFailed';
  constructor(
    readonly source: string,
    readonly target: string,
    readonly reason: string,
  ) {
    super(`Copying ${source} to ${target} failed: ${reason}`);
  }
}

/** A volume that cannot be grown: not one of this provider's images, or already larger than asked. */
export class VolumeNotExtendable extends VolumeError {
  override readonly name = 'VolumeNotExtendable';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Cannot extend ${path}: ${reason}`);
  }
}

/** A copy into a new volume stopped because it was cancelled (the volume is being deleted). */
export class VolumeCopyCancelled extends VolumeError {
  override readonly name = 'VolumeCopyCancelled';
  constructor(readonly source: string) {
    super(`The copy of ${source} was cancelled`);
  }
}
