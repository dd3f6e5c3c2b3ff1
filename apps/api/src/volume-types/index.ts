import { ChangeVolumeTypeHandler } from './commands/change-volume-type.handler';
import { DefaultVolumeType } from './commands/default-volume-type';
import { VolumeTypeAccessController } from './volume-type-access.controller';
import { VolumeTypeEncryptionController } from './volume-type-encryption.controller';
import { VolumeTypeExtraSpecsController } from './volume-type-extra-specs.controller';
import { VolumeTypeLookup } from './volume-type-lookup';
import { VolumeTypesController } from './volume-types.controller';

/** What the volume type feature adds to the app module's lists. */
export const VOLUME_TYPE_CONTROLLERS = [
  VolumeTypesController, VolumeTypeExtraSpecsController, VolumeTypeEncryptionController, VolumeTypeAccessController,
];
export const VOLUME_TYPE_HANDLERS = [ChangeVolumeTypeHandler];
export const VOLUME_TYPE_PROVIDERS = [VolumeTypeLookup, DefaultVolumeType];

export { VolumeTypeLookup } from './volume-type-lookup';
export { VOLUME_TYPE_RESPONSE_SCHEMAS } from './volume-type.responses';
