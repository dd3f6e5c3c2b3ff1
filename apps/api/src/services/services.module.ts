import { Inject, Logger, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { EVENT_STORE, type EventStore } from '@strata/event-store';
import { ServiceReporter } from '@strata/workflows';
import { VolumeTypesModule } from '../volume-types/volume-types.module';
import { AvailabilityZonesController } from './availability-zones.controller';
import { ChangeServiceHandler } from './commands/change-service.handler';
import { BACKEND_NAME } from './pools';
import { SchedulerStatsController } from './scheduler-stats.controller';
import { ServiceDirectory } from './service-directory';
import { ServicesController } from './services.controller';

/** The api's own service: Cinder's `cinder-volume` for the file backend, `HOST@file`. */
export const VOLUME_SERVICE_REPORTER = Symbol('VOLUME_SERVICE_REPORTER');

/**
 * Cinder's services, availability zones and pools. The api registers itself as the volume service at
 * start and beats every report_interval until it stops; backup requests ask `ServiceDirectory` for a
 * cinder-backup service that is up and enabled.
 */
@Module({
  imports: [VolumeTypesModule],
  controllers: [ServicesController, AvailabilityZonesController, SchedulerStatsController],
  providers: [
    ServiceDirectory,
    ChangeServiceHandler,
    {
      provide: VOLUME_SERVICE_REPORTER,
      inject: [EVENT_STORE, STRATA_OPTIONS],
      useFactory: (store: EventStore, options: StrataOptions) =>
        new ServiceReporter({
          store,
          binary: 'cinder-volume',
          host: `${options.host}@${BACKEND_NAME}`,
          zone: options.storage_availability_zone,
          reportIntervalMs: options.report_interval * 1000,
          now: () => new Date(),
          warn: (message) => new Logger('Services').warn(message),
        }),
    },
  ],
  exports: [ServiceDirectory],
})
export class ServicesModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(VOLUME_SERVICE_REPORTER) private readonly reporter: ServiceReporter) {}

  onApplicationBootstrap() {
    return this.reporter.start();
  }

  beforeApplicationShutdown() {
    return this.reporter.stop();
  }
}
