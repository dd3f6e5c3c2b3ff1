import { InvalidVolume } from '@strata/domain';

/**
 * Whether an existing file or block device may be registered with Cinder's manage API. The volume
 * provider answers it (app.module wires it in); routes see only this port, never libs/volumes.
 */
export interface ManagedVolumeCheck {
  /** Why `path` cannot be managed, as a phrase that follows the path (`does not exist`); null when it can. */
  refusalOf(path: string): Promise<string | null>;
}

export const MANAGED_VOLUME_CHECK = Symbol('ManagedVolumeCheck');

/**
 * Refuses at the API what the worker would refuse when it inspects the path, so that a path outside
 * `managed_volume_paths`, Strata's own state or a missing file is a 400 and nothing is recorded.
 * The worker still checks again: the path may change between this request and its job.
 */
export const assertManageable = async (check: ManagedVolumeCheck, path: string): Promise<void> => {
  const refusal = await check.refusalOf(path);
  if (refusal !== null) throw new InvalidVolume(`${path} ${refusal}.`);
};
