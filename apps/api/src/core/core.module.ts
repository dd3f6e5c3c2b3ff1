import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { CatalogModule } from '@strata/catalog';
import { ConfigModule, type StrataOptions } from '@strata/config';
import { EventStoreModule } from '@strata/event-store';
import { authenticatorFor } from '../context/authenticator-for';
import { CinderFaultFilter } from '../errors/cinder-fault.filter';
import { JsonLogger, type JsonLogLevel } from '../logging/json-logger';
import { Commands } from '../shared/commands';
import { BarbicanKeyManager } from '../key-manager/barbican-key-manager';
import { KEY_MANAGER } from '../key-manager/key-manager';
import { VolumeKeys } from '../key-manager/volume-keys';
import { QuotaClaims } from '../shared/quota-claims';
import { systemClock, uuidGenerator } from '../shared/system-clock';
import { AUTHENTICATOR, CLOCK, ID_GENERATOR, JSON_LOGGER } from '../tokens';

const SHARED = [Commands, QuotaClaims, AUTHENTICATOR, CLOCK, ID_GENERATOR, JSON_LOGGER, KEY_MANAGER, VolumeKeys];

/**
 * What every feature module uses, provided once: the options, the event store, the catalog, the
 * command bus with its read-your-writes wrapper, the clock and id generator, the authenticator, the
 * JSON logger and the filter that turns every error into Cinder's fault body.
 */
@Module({})
export class CoreModule {
  static forRoot(options: StrataOptions): DynamicModule {
    const logger = new JsonLogger(options.log_level as JsonLogLevel);
    return {
      module: CoreModule,
      global: true,
      imports: [
        ConfigModule.forRoot(options),
        EventStoreModule.forRoot({ url: options.event_store }),
        CatalogModule.forRoot({ path: options.catalog_path }),
        CqrsModule.forRoot(),
      ],
      providers: [
        Commands,
        QuotaClaims,
        { provide: APP_FILTER, useClass: CinderFaultFilter },
        { provide: AUTHENTICATOR, useValue: authenticatorFor(options, systemClock, logger) },
        { provide: CLOCK, useValue: systemClock },
        { provide: ID_GENERATOR, useValue: uuidGenerator },
        { provide: JSON_LOGGER, useValue: logger },
        { provide: KEY_MANAGER, useValue: options.key_manager.backend === 'barbican' ? new BarbicanKeyManager(options.barbican) : null },
        VolumeKeys,
      ],
      exports: SHARED,
    };
  }
}
