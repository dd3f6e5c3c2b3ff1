import { Module } from '@nestjs/common';
import { ExtensionsController } from './extensions.controller';
import { ResourceFiltersController } from './resource-filters.controller';
import { VersionsController } from './versions.controller';

/** What a Cinder client asks before anything else: versions, extensions, the filters each list honours. */
@Module({ controllers: [VersionsController, ExtensionsController, ResourceFiltersController] })
export class DiscoveryModule {}
