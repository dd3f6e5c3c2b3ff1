import { Module, type DynamicModule } from '@nestjs/common';
import { managedPathPolicyOf, type StrataOptions } from '@strata/config';
import { FileVolumeProvider, ManagedVolumeRefusals } from '@strata/volumes';
import { VolumeTypesModule } from '../volume-types/volume-types.module';
import { ChangeVolumeHandler } from './commands/change-volume.handler';
import { CreateVolumeHandler } from './commands/create-volume.handler';
import { MANAGED_VOLUME_CHECK } from './managed-volume-check';
import { VolumeMetadataController } from './volume-metadata.controller';
import { VolumesController } from './volumes.controller';

/** Volumes: file-backed images and managed devices, their actions, and Cinder's manage API. */
@Module({})
export class VolumesModule {
  static forRoot(options: StrataOptions): DynamicModule {
    return {
      module: VolumesModule,
      imports: [VolumeTypesModule],
      controllers: [VolumesController, VolumeMetadataController],
      providers: [
        CreateVolumeHandler,
        ChangeVolumeHandler,
        // The manage route asks the worker's own inspection (libs/volumes) through a port.
        {
          provide: MANAGED_VOLUME_CHECK,
          useValue: new ManagedVolumeRefusals(new FileVolumeProvider(options.volumes_path, { managedPaths: managedPathPolicyOf(options) })),
        },
      ],
    };
  }
}
