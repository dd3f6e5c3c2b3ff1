import { Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import type { StrataOptions } from '@strata/config';
import { BackupsModule } from './backups/backups.module';
import { RequestContextMiddleware } from './context/request-context.middleware';
import { CoreModule } from './core/core.module';
import { DiscoveryModule } from './discovery/discovery.module';
import { RequestLogMiddleware } from './logging/request-log.middleware';
import { MessagesModule } from './messages/messages.module';
import { OperationsModule } from './operations/operations.module';
import { QuotasModule } from './quotas/quotas.module';
import { RecordsModule } from './records/records.module';
import { EmptyIdMiddleware } from './routing/empty-id.middleware';
import { ServicesModule } from './services/services.module';
import { SnapshotsModule } from './snapshots/snapshots.module';
import { StrataModule } from './strata-v1/strata.module';
import { BodyDepthMiddleware } from './validation/body-depth';
import { VolumeTypesModule } from './volume-types/volume-types.module';
import { VolumesModule } from './volumes/volumes.module';

/**
 * The api: the shared core and one module per feature, and the middleware every request passes. The
 * worker is not here; the embedded process (apps/strata) adds it beside this module.
 */
@Module({})
export class AppModule implements NestModule {
  static forRoot(options: StrataOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(options),
        // Discovery before backups: `/v3/extensions/backups` is the extension, not project "extensions"'s backups.
        OperationsModule,
        DiscoveryModule,
        ServicesModule,
        BackupsModule,
        RecordsModule,
        VolumesModule.forRoot(options),
        SnapshotsModule,
        VolumeTypesModule,
        MessagesModule,
        StrataModule,
        QuotasModule,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer) {
    consumer.apply(RequestLogMiddleware, EmptyIdMiddleware).forRoutes('*');
    // Version discovery and health answer without credentials, as Cinder's do.
    consumer
      .apply(RequestContextMiddleware)
      .exclude(
        { path: '/', method: RequestMethod.GET },
        { path: 'v3', method: RequestMethod.GET },
        { path: 'healthz', method: RequestMethod.GET },
        // Probes, scrapes, the API description and the web page's static files need no token either.
        { path: 'readyz', method: RequestMethod.GET },
        { path: 'metrics', method: RequestMethod.GET },
        { path: 'strata/v1/openapi.json', method: RequestMethod.GET },
        { path: 'ui', method: RequestMethod.GET },
        { path: 'ui/:file', method: RequestMethod.GET },
        // How the page learns whether it can log in with a Keystone password, and does: no token yet.
        { path: 'strata/v1/auth', method: RequestMethod.GET },
        { path: 'strata/v1/auth/tokens', method: RequestMethod.POST },
      )
      .forRoutes('*');
    consumer.apply(BodyDepthMiddleware).forRoutes('*');
  }
}
