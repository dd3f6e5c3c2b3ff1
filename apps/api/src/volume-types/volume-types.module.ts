import { Module } from '@nestjs/common';
import { ChangeVolumeTypeHandler } from './commands/change-volume-type.handler';
import { DefaultVolumeType } from './commands/default-volume-type';
import { VolumeTypeAccessController } from './volume-type-access.controller';
import { VolumeTypeEncryptionController } from './volume-type-encryption.controller';
import { VolumeTypeExtraSpecsController } from './volume-type-extra-specs.controller';
import { VolumeTypeLookup } from './volume-type-lookup';
import { VolumeTypesController } from './volume-types.controller';

/** Volume types with their extra specs, encryption and access lists; `__DEFAULT__` recorded at start. */
@Module({
  controllers: [VolumeTypesController, VolumeTypeExtraSpecsController, VolumeTypeEncryptionController, VolumeTypeAccessController],
  providers: [ChangeVolumeTypeHandler, VolumeTypeLookup, DefaultVolumeType],
  // Volumes and restores resolve the type a new volume gets.
  exports: [VolumeTypeLookup],
})
export class VolumeTypesModule {}
