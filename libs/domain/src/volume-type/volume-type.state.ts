import { presentFields } from './present-fields';
import type { ControlLocation, ExtraSpecs, VolumeTypeEvent } from './volume-type.events';

export interface VolumeTypeEncryption {
  readonly encryptionId: string;
  readonly provider: string;
  readonly controlLocation: ControlLocation;
  readonly cipher: string | null;
  readonly keySize: number | null;
}

export interface VolumeTypeRecord {
  readonly status: 'active' | 'deleted';
  readonly id: string;
  readonly name: string;
  readonly isPublic: boolean;
  readonly extraSpecs: ExtraSpecs;
  readonly encryption: VolumeTypeEncryption | null;
  /** Projects on the access list (meaningful for a private type). */
  readonly projects: readonly string[];
}

export type VolumeType = { readonly status: 'absent' } | VolumeTypeRecord;

export const initialVolumeTypeState = (): VolumeType => ({ status: 'absent' });

const withoutKeys = (specs: ExtraSpecs, keys: readonly string[]): ExtraSpecs =>
  Object.fromEntries(Object.entries(specs).filter(([k]) => !keys.includes(k)));

export const evolveVolumeType = (state: VolumeType, event: VolumeTypeEvent): VolumeType => {
  if (event.type === 'VolumeTypeCreated') {
    const d = event.data;
    return {
      status: 'active',
      id: d.volumeTypeId,
      name: d.name,
      isPublic: d.isPublic,
      extraSpecs: { ...d.extraSpecs },
      encryption: null,
      projects: [],
    };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'VolumeTypeUpdated': {
      const { name, isPublic } = event.data;
      return { ...state, ...presentFields({ name, isPublic }) };
    }
    case 'VolumeTypeDeleted':
      return { ...state, status: 'deleted', extraSpecs: {}, encryption: null, projects: [] };
    case 'VolumeTypeExtraSpecsSet':
      return { ...state, extraSpecs: { ...state.extraSpecs, ...event.data.extraSpecs } };
    case 'VolumeTypeExtraSpecsUnset':
      return { ...state, extraSpecs: withoutKeys(state.extraSpecs, event.data.keys) };
    case 'VolumeTypeEncryptionCreated': {
      const { encryptionId, provider, controlLocation, cipher, keySize } = event.data;
      return { ...state, encryption: { encryptionId, provider, controlLocation, cipher, keySize } };
    }
    case 'VolumeTypeEncryptionUpdated': {
      if (!state.encryption) return state;
      const { provider, controlLocation, cipher, keySize } = event.data;
      return { ...state, encryption: { ...state.encryption, ...presentFields({ provider, controlLocation, cipher, keySize }) } };
    }
    case 'VolumeTypeEncryptionDeleted':
      return { ...state, encryption: null };
    case 'VolumeTypeAccessAdded':
      return { ...state, projects: [...state.projects, event.data.projectId] };
    case 'VolumeTypeAccessRemoved':
      return { ...state, projects: state.projects.filter((p) => p !== event.data.projectId) };
  }
};
