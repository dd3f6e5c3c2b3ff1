import { InvalidInput } from '../errors';
import type { ExtraSpecs } from './volume-type.events';

export const MIN_SIZE_KEY = 'provisioning:min_vol_size';
export const MAX_SIZE_KEY = 'provisioning:max_vol_size';

/** What a new volume needs to know of its type. */
export interface TypeOfNewVolume {
  readonly name: string;
  readonly extraSpecs: ExtraSpecs;
  readonly encrypted: boolean;
}

const wholeNumber = (value: string | null | undefined): number | null =>
  typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : null;

/**
 * Why a volume cannot be created with this type, or null. Cinder's size limits of the type
 * (`provision_filter_on_size`, same texts); then what Strata cannot honour: a multiattach type (its
 * volumes attach to one instance at a time), and an encrypted type without the volume's key, since
 * Strata creates no keys (a client that encrypts gives its Barbican key as `encryption_key_id`).
 * `sizeGb` is null for a managed volume, whose size is learnt later.
 */
export const typeRefusalForNewVolume = (
  type: TypeOfNewVolume,
  volume: { readonly sizeGb: number | null; readonly encryptionKeyId: string | null },
): InvalidInput | null => {
  const min = wholeNumber(type.extraSpecs[MIN_SIZE_KEY]);
  const max = wholeNumber(type.extraSpecs[MAX_SIZE_KEY]);
  if (volume.sizeGb !== null && min !== null && volume.sizeGb < min)
    return new InvalidInput(
      `Invalid input received: Specified volume size of '${volume.sizeGb}' is less than the minimum required size of '${type.extraSpecs[MIN_SIZE_KEY]}' for volume type '${type.name}'.`,
    );
  if (volume.sizeGb !== null && max !== null && volume.sizeGb > max)
    return new InvalidInput(
      `Invalid input received: Specified volume size of '${volume.sizeGb}' is greater than the maximum allowable size of '${type.extraSpecs[MAX_SIZE_KEY]}' for volume type '${type.name}'.`,
    );
  if (type.extraSpecs.multiattach === '<is> True')
    return new InvalidInput(
      `Invalid input received: Strata volumes attach to one instance at a time; volume type '${type.name}' is multiattach, which cannot be honoured.`,
    );
  if (type.encrypted && volume.encryptionKeyId === null)
    return new InvalidInput(
      `Invalid input received: Volume type '${type.name}' is encrypted and Strata creates no encryption keys; give the volume's key as encryption_key_id.`,
    );
  return null;
};
