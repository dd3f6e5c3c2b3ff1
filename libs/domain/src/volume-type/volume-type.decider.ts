import { assertNever, type Decider } from '../decider';
import { InvalidInput } from '../errors';
import { checkedDecider } from '../schema/checked-decider';
import type { UpdateVolumeType, VolumeTypeCommand } from './volume-type.commands';
import {
  InvalidVolumeType,
  VolumeTypeAccessExists,
  VolumeTypeAccessNotFound,
  VolumeTypeExists,
  VolumeTypeNotFound,
} from './volume-type.errors';
import type { VolumeTypeEvent } from './volume-type.events';
import { decideEncryption } from './decide-volume-type-encryption';
import { decideExtraSpecs } from './decide-volume-type-extra-specs';
import { presentFields } from './present-fields';
import { evolveVolumeType, initialVolumeTypeState, type VolumeType, type VolumeTypeRecord } from './volume-type.state';

export const liveVolumeType = (state: VolumeType, volumeTypeId: string): VolumeTypeRecord => {
  if (state.status !== 'active') throw new VolumeTypeNotFound(volumeTypeId);
  return state;
};

/** Cinder's `name` format: a name of white space alone is no name. */
const blankName = (name: string) => name.trim().length === 0;

/**
 * Decisions about one volume type, with Cinder's rules and texts (types_manage.py, volume_types.py and the
 * database layer under them): names unique, the default type and the last type kept, a type in use kept.
 * Extra specs and encryption have their own files; the access list is here.
 */
export const decideVolumeType = (command: VolumeTypeCommand, state: VolumeType): VolumeTypeEvent[] => {
  switch (command.type) {
    case 'CreateVolumeType': {
      const { volumeTypeId, name, description, isPublic, extraSpecs, nameTakenBy, now } = command.data;
      if (state.status !== 'absent') throw new VolumeTypeExists(volumeTypeId);
      if (blankName(name)) throw new InvalidInput("An invalid 'name' value was provided. The 'name' can not be empty.");
      if (nameTakenBy !== null) throw new VolumeTypeExists(name);
      return [{ type: 'VolumeTypeCreated', data: { volumeTypeId, name, description, isPublic, extraSpecs, createdAt: now } }];
    }
    case 'UpdateVolumeType':
      return decideUpdate(command, state);
    case 'DeleteVolumeType': {
      const t = liveVolumeType(state, command.data.volumeTypeId);
      const { isConfiguredDefault, liveTypeCount, volumesUsingType, now } = command.data;
      if (isConfiguredDefault) throw new InvalidInput(`The volume type ${t.id} is a default volume type and cannot be deleted.`);
      if (liveTypeCount <= 1)
        throw new InvalidInput(`The volume type ${t.id} is the only currently defined volume type and cannot be deleted.`);
      if (volumesUsingType > 0) throw new InvalidInput('Target volume type is still in use.');
      return [{ type: 'VolumeTypeDeleted', data: { volumeTypeId: t.id, deletedAt: now } }];
    }
    case 'SetVolumeTypeExtraSpecs':
    case 'UnsetVolumeTypeExtraSpec':
      return decideExtraSpecs(command, state);
    case 'CreateVolumeTypeEncryption':
    case 'UpdateVolumeTypeEncryption':
    case 'DeleteVolumeTypeEncryption':
      return decideEncryption(command, state);
    case 'AddVolumeTypeAccess': {
      const t = privateType(state, command.data.volumeTypeId);
      const { projectId, now } = command.data;
      if (t.projects.includes(projectId)) throw new VolumeTypeAccessExists(t.id, projectId);
      return [{ type: 'VolumeTypeAccessAdded', data: { volumeTypeId: t.id, projectId, addedAt: now } }];
    }
    case 'RemoveVolumeTypeAccess': {
      const t = privateType(state, command.data.volumeTypeId);
      const { projectId, now } = command.data;
      if (!t.projects.includes(projectId)) throw new VolumeTypeAccessNotFound(t.id, projectId);
      return [{ type: 'VolumeTypeAccessRemoved', data: { volumeTypeId: t.id, projectId, removedAt: now } }];
    }
    default:
      return assertNever(command);
  }
};

/**
 * Cinder's `_update` and `_type_update`: the request is judged before the type is looked up; a field not
 * given (or given as null) keeps its value; a new name must be free.
 */
const decideUpdate = ({ data }: UpdateVolumeType, state: VolumeType): VolumeTypeEvent[] => {
  const { name, description, isPublic, nameTakenBy, now } = data;
  if (name !== undefined && blankName(name)) throw new InvalidInput('Volume type name can not be empty.');
  if (name === undefined && description === undefined && isPublic === undefined)
    throw new InvalidInput('Specify volume type name, description, is_public or a combination thereof.');
  const t = liveVolumeType(state, data.volumeTypeId);
  if (name !== undefined && nameTakenBy !== null && nameTakenBy !== t.id) throw new VolumeTypeExists(name);
  return [{ type: 'VolumeTypeUpdated', data: { volumeTypeId: t.id, ...presentFields({ name, description, isPublic }), updatedAt: now } }];
};

/** The access list is for private types only (volume_types.add_volume_type_access). */
const privateType = (state: VolumeType, volumeTypeId: string): VolumeTypeRecord => {
  const t = liveVolumeType(state, volumeTypeId);
  if (t.isPublic) throw new InvalidVolumeType('Type access modification is not applicable to public volume type.');
  return t;
};

export const volumeTypeDecider: Decider<VolumeTypeCommand, VolumeType, VolumeTypeEvent> = checkedDecider({
  decide: decideVolumeType,
  evolve: evolveVolumeType,
  initialState: initialVolumeTypeState,
});
