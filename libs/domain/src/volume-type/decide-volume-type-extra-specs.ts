import { InvalidInput } from '../errors';
import type { SetVolumeTypeExtraSpecs, UnsetVolumeTypeExtraSpec } from './volume-type.commands';
import { VolumeTypeExtraSpecsNotFound, VolumeTypeNotFound } from './volume-type.errors';
import type { ExtraSpecs, VolumeTypeEvent } from './volume-type.events';
import type { VolumeType } from './volume-type.state';

const IS_TRUE = '<is> True';

/** types_extra_specs.py `_check_cacheable`, clause for clause: the new specs against the stored ones. */
const cacheableWithMultiattach = (specs: ExtraSpecs, stored: ExtraSpecs): boolean =>
  (specs.multiattach === IS_TRUE && stored.cacheable === IS_TRUE) ||
  (specs.cacheable === IS_TRUE && stored.multiattach === IS_TRUE) ||
  (specs.cacheable === IS_TRUE && specs.multiattach === IS_TRUE);

/**
 * Extra specs change only while no volume uses the type (Cinder checks that first, then that the type
 * exists); setting merges, unsetting removes one key that must be there.
 */
export const decideExtraSpecs = (command: SetVolumeTypeExtraSpecs | UnsetVolumeTypeExtraSpec, state: VolumeType): VolumeTypeEvent[] => {
  const { volumeTypeId, volumesUsingType, now } = command.data;
  if (command.type === 'SetVolumeTypeExtraSpecs') {
    if (volumesUsingType > 0) throw new InvalidInput('Volume Type is currently in use.');
    if (state.status !== 'active') throw new VolumeTypeNotFound(volumeTypeId);
    const { extraSpecs } = command.data;
    if (cacheableWithMultiattach(extraSpecs, state.extraSpecs)) throw new InvalidInput('cacheable cannot be set with multiattach.');
    if (Object.keys(extraSpecs).length === 0) return [];
    return [{ type: 'VolumeTypeExtraSpecsSet', data: { volumeTypeId: state.id, extraSpecs, setAt: now } }];
  }
  // The delete route looks the type up before it checks the volumes (types_extra_specs.py `delete`).
  if (state.status !== 'active') throw new VolumeTypeNotFound(volumeTypeId);
  if (volumesUsingType > 0) throw new InvalidInput('Volume Type is currently in use.');
  const { key } = command.data;
  if (!Object.prototype.hasOwnProperty.call(state.extraSpecs, key)) throw new VolumeTypeExtraSpecsNotFound(state.id, key);
  return [{ type: 'VolumeTypeExtraSpecsUnset', data: { volumeTypeId: state.id, keys: [key], unsetAt: now } }];
};
