import type { DomainEvent } from '../decider';

/**
 * Extra specs as Cinder keeps them: string keys to strings or null (Cinder's `extra_specs_with_null` and
 * `extra_specs_with_no_spaces_key` both admit a null value, and Cinder stores it as given).
 */
export type ExtraSpecs = Record<string, string | null>;

/** Where a volume of the type is encrypted (Cinder's `control_location`). */
export type ControlLocation = 'front-end' | 'back-end';

export type VolumeTypeCreated = DomainEvent<
  'VolumeTypeCreated',
  {
    volumeTypeId: string;
    name: string;
    description: string | null;
    isPublic: boolean;
    extraSpecs: ExtraSpecs;
    createdAt: string;
  }
>;
/** Only what the request changed; Cinder leaves a field it was not given (or given as null) as it was. */
export type VolumeTypeUpdated = DomainEvent<
  'VolumeTypeUpdated',
  {
    volumeTypeId: string;
    name?: string;
    description?: string;
    isPublic?: boolean;
    updatedAt: string;
  }
>;
export type VolumeTypeDeleted = DomainEvent<'VolumeTypeDeleted', { volumeTypeId: string; deletedAt: string }>;
/** Keys given are created or overwritten; the others stay. */
export type VolumeTypeExtraSpecsSet = DomainEvent<
  'VolumeTypeExtraSpecsSet',
  { volumeTypeId: string; extraSpecs: ExtraSpecs; setAt: string }
>;
export type VolumeTypeExtraSpecsUnset = DomainEvent<'VolumeTypeExtraSpecsUnset', { volumeTypeId: string; keys: string[]; unsetAt: string }>;
export type VolumeTypeEncryptionCreated = DomainEvent<
  'VolumeTypeEncryptionCreated',
  {
    volumeTypeId: string;
    encryptionId: string;
    provider: string;
    controlLocation: ControlLocation;
    cipher: string | null;
    keySize: number | null;
    createdAt: string;
  }
>;
/** Only the fields the request gave. */
export type VolumeTypeEncryptionUpdated = DomainEvent<
  'VolumeTypeEncryptionUpdated',
  {
    volumeTypeId: string;
    provider?: string;
    controlLocation?: ControlLocation;
    cipher?: string | null;
    keySize?: number | null;
    updatedAt: string;
  }
>;
export type VolumeTypeEncryptionDeleted = DomainEvent<'VolumeTypeEncryptionDeleted', { volumeTypeId: string; deletedAt: string }>;
/** A project may use a private type (Cinder's volume type access list). */
export type VolumeTypeAccessAdded = DomainEvent<'VolumeTypeAccessAdded', { volumeTypeId: string; projectId: string; addedAt: string }>;
export type VolumeTypeAccessRemoved = DomainEvent<
  'VolumeTypeAccessRemoved',
  { volumeTypeId: string; projectId: string; removedAt: string }
>;

export type VolumeTypeEvent =
  | VolumeTypeCreated
  | VolumeTypeUpdated
  | VolumeTypeDeleted
  | VolumeTypeExtraSpecsSet
  | VolumeTypeExtraSpecsUnset
  | VolumeTypeEncryptionCreated
  | VolumeTypeEncryptionUpdated
  | VolumeTypeEncryptionDeleted
  | VolumeTypeAccessAdded
  | VolumeTypeAccessRemoved;

export const VOLUME_TYPE_EVENT_TYPES: readonly VolumeTypeEvent['type'][] = [
  'VolumeTypeCreated',
  'VolumeTypeUpdated',
  'VolumeTypeDeleted',
  'VolumeTypeExtraSpecsSet',
  'VolumeTypeExtraSpecsUnset',
  'VolumeTypeEncryptionCreated',
  'VolumeTypeEncryptionUpdated',
  'VolumeTypeEncryptionDeleted',
  'VolumeTypeAccessAdded',
  'VolumeTypeAccessRemoved',
];
