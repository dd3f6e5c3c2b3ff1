import type { DomainCommand } from '../decider';
import type { ControlLocation, ExtraSpecs } from './volume-type.events';

/**
 * Facts from other streams are read by the handler from the catalog, as Cinder reads them from its
 * database in the same request: which type already has the name, how many live volumes use the type,
 * which type `default_volume_type` names, how many types there are.
 */
export interface NameFact {
  /** The live type that already has this name (compared as `volumeTypeNameKey` does), or null. */
  readonly nameTakenBy: string | null;
}
export interface UsageFact {
  /** Live volumes of the type (any status but deleted). */
  readonly volumesUsingType: number;
}

export type CreateVolumeType = DomainCommand<
  'CreateVolumeType',
  NameFact & {
    volumeTypeId: string;
    name: string;
    description: string | null;
    isPublic: boolean;
    extraSpecs: ExtraSpecs;
    now: string;
  }
>;
export type UpdateVolumeType = DomainCommand<
  'UpdateVolumeType',
  NameFact & {
    volumeTypeId: string;
    name?: string;
    description?: string;
    isPublic?: boolean;
    now: string;
  }
>;
export type DeleteVolumeType = DomainCommand<
  'DeleteVolumeType',
  UsageFact & {
    volumeTypeId: string;
    /** The type `default_volume_type` names is this one. */
    isConfiguredDefault: boolean;
    /** Live types, this one included. */
    liveTypeCount: number;
    now: string;
  }
>;
export type SetVolumeTypeExtraSpecs = DomainCommand<
  'SetVolumeTypeExtraSpecs',
  UsageFact & {
    volumeTypeId: string;
    extraSpecs: ExtraSpecs;
    now: string;
  }
>;
export type UnsetVolumeTypeExtraSpec = DomainCommand<
  'UnsetVolumeTypeExtraSpec',
  UsageFact & {
    volumeTypeId: string;
    key: string;
    now: string;
  }
>;
export type CreateVolumeTypeEncryption = DomainCommand<
  'CreateVolumeTypeEncryption',
  UsageFact & {
    volumeTypeId: string;
    encryptionId: string;
    provider: string;
    controlLocation: ControlLocation;
    cipher: string | null;
    keySize: number | null;
    now: string;
  }
>;
export type UpdateVolumeTypeEncryption = DomainCommand<
  'UpdateVolumeTypeEncryption',
  UsageFact & {
    volumeTypeId: string;
    provider?: string;
    controlLocation?: ControlLocation;
    cipher?: string | null;
    keySize?: number | null;
    now: string;
  }
>;
export type DeleteVolumeTypeEncryption = DomainCommand<'DeleteVolumeTypeEncryption', UsageFact & { volumeTypeId: string; now: string }>;
export type AddVolumeTypeAccess = DomainCommand<'AddVolumeTypeAccess', { volumeTypeId: string; projectId: string; now: string }>;
export type RemoveVolumeTypeAccess = DomainCommand<'RemoveVolumeTypeAccess', { volumeTypeId: string; projectId: string; now: string }>;

export type VolumeTypeCommand =
  | CreateVolumeType
  | UpdateVolumeType
  | DeleteVolumeType
  | SetVolumeTypeExtraSpecs
  | UnsetVolumeTypeExtraSpec
  | CreateVolumeTypeEncryption
  | UpdateVolumeTypeEncryption
  | DeleteVolumeTypeEncryption
  | AddVolumeTypeAccess
  | RemoveVolumeTypeAccess;
