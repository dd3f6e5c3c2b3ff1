import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiDoc } from '../operations/api-doc';
import { CLOCK, type Clock } from '../tokens';
import { ServiceDirectory } from './service-directory';

/**
 * `GET /os-availability-zone` (`cinder availability-zone-list`): the zones of the cinder-volume services,
 * each available unless every service in it is disabled (cinder/volume/api.py `list_availability_zones`).
 * Any authenticated caller, as in Cinder.
 */
@ApiTags('Services')
@Controller(['v3/os-availability-zone', 'v3/:projectId/os-availability-zone'])
export class AvailabilityZonesController {
  constructor(
    private readonly directory: ServiceDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiDoc('The availability zones of the volume services', { 200: 'AvailabilityZoneList' })
  async list() {
    const disabledByZone = new Map<string, boolean>();
    for (const s of await this.directory.list(this.clock.now(), { binary: 'cinder-volume' }))
      disabledByZone.set(s.zone, (disabledByZone.get(s.zone) ?? true) && s.disabled);
    return {
      availabilityZoneInfo: [...disabledByZone].map(([zoneName, disabled]) => ({ zoneName, zoneState: { available: !disabled } })),
    };
  }
}
