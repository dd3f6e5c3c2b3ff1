import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { CatalogModule } from '@strata/catalog';
import { ConfigModule, managedPathPolicyOf, type StrataOptions } from '@strata/config';
import { EventStoreModule } from '@strata/event-store';
import { FileVolumeProvider, ManagedVolumeRefusals } from '@strata/volumes';
import { WorkerModule } from '@strata/worker';
import { BackupActionsController } from './backups/backup-actions.controller';
import { BackupRecordsController } from './backups/backup-records.controller';
import { ExportBackupRecordHandler } from './backups/commands/export-backup-record.handler';
import { ImportBackupRecordHandler } from './backups/commands/import-backup-record.handler';
import { RequestBackupVerificationHandler } from './backups/commands/request-backup-verification.handler';
import { BackupVerificationController } from './strata/backup-verification.controller';
import { CatalogRecoveryController } from './strata/catalog-recovery.controller';
import { RecoverCatalogHandler } from './strata/recover-catalog.handler';
import { BackupsController } from './backups/backups.controller';
import { CreateBackupHandler } from './backups/commands/create-backup.handler';
import { DeleteBackupHandler } from './backups/commands/delete-backup.handler';
import { ResetBackupStatusHandler } from './backups/commands/reset-backup-status.handler';
import { RestoreBackupHandler } from './backups/commands/restore-backup.handler';
import { UpdateBackupHandler } from './backups/commands/update-backup.handler';
import { noAuth, tokenFileAuth } from './context/authenticator';
import { RequestContextMiddleware } from './context/request-context.middleware';
import { CinderFaultFilter } from './errors/cinder-fault.filter';
import { ExtensionsController } from './extensions/extensions.controller';
import { HealthController } from './health/health.controller';
import { ResourceFiltersController } from './resource-filters/resource-filters.controller';
import { systemClock, uuidGenerator } from './shared/system-clock';
import { CreateSnapshotHandler } from './snapshots/commands/create-snapshot.handler';
import { DeleteSnapshotHandler } from './snapshots/commands/delete-snapshot.handler';
import { SnapshotsController } from './snapshots/snapshots.controller';
import { AUTHENTICATOR, CLOCK, ID_GENERATOR, JSON_LOGGER } from './tokens';
import { VersionsController } from './versions/versions.controller';
import { ChangeVolumeHandler } from './volumes/commands/change-volume.handler';
import { CreateVolumeHandler } from './volumes/commands/create-volume.handler';
import { MANAGED_VOLUME_CHECK } from './volumes/managed-volume-check';
import { VolumesController } from './volumes/volumes.controller';
import { JobsController } from './strata-v1/jobs.controller';
import { BackupChainsController } from './strata-v1/backup-chains.controller';
import { MetricsController } from './operations/metrics.controller';
import { OpenApiDocumentHolder } from './operations/openapi-builder';
import { OpenApiController } from './operations/openapi.controller';
import { UiController } from './ui/ui.controller';
import { JsonLogger, type JsonLogLevel } from './logging/json-logger';
import { RequestLogMiddleware } from './logging/request-log.middleware';
import { AuditController } from './strata-v1/audit.controller';
import { CatalogAdminController } from './strata-v1/catalog-admin.controller';
import { BodyDepthMiddleware } from './validation/body-depth';
import { EmptyIdMiddleware } from './routing/empty-id.middleware';
import { CatalogFailuresController } from './strata-v1/catalog-failures.controller';
import { VOLUME_TYPE_CONTROLLERS, VOLUME_TYPE_HANDLERS, VOLUME_TYPE_PROVIDERS } from './volume-types';

const COMMAND_HANDLERS = [
  CreateBackupHandler, DeleteBackupHandler, ResetBackupStatusHandler, RestoreBackupHandler, UpdateBackupHandler,
  CreateVolumeHandler, ChangeVolumeHandler, CreateSnapshotHandler, DeleteSnapshotHandler,
  ExportBackupRecordHandler, ImportBackupRecordHandler, RequestBackupVerificationHandler, RecoverCatalogHandler,
  ...VOLUME_TYPE_HANDLERS,
];
const CONTROLLERS = [
  // Extensions before backups: `/v3/extensions/backups` is the extension, not project "extensions"'s backups.
  VersionsController, HealthController, ExtensionsController, BackupsController, BackupActionsController, VolumesController, SnapshotsController,
  ResourceFiltersController,
  BackupRecordsController, BackupVerificationController, CatalogRecoveryController,
  JobsController, BackupChainsController,
  MetricsController, OpenApiController, UiController,
  AuditController,
  CatalogAdminController, CatalogFailuresController,
  ...VOLUME_TYPE_CONTROLLERS,
];

/** Only lists: which modules, controllers and handlers make up the api (with the worker in embedded mode). */
@Module({})
export class AppModule implements NestModule {
  static forRoot(options: StrataOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(options),
        EventStoreModule.forRoot({ url: options.event_store }),
        CatalogModule.forRoot({ path: options.catalog_path }),
        CqrsModule.forRoot(),
        ...(options.run_worker ? [WorkerModule] : []),
      ],
      controllers: CONTROLLERS,
      providers: [
        ...COMMAND_HANDLERS,
        ...VOLUME_TYPE_PROVIDERS,
        OpenApiDocumentHolder,
        { provide: APP_FILTER, useClass: CinderFaultFilter },
        { provide: AUTHENTICATOR, useValue: options.auth_strategy === 'tokens' ? tokenFileAuth(options.token_file) : noAuth },
        { provide: CLOCK, useValue: systemClock },
        { provide: ID_GENERATOR, useValue: uuidGenerator },
        { provide: JSON_LOGGER, useValue: new JsonLogger(options.log_level as JsonLogLevel) },
        // The manage route asks the worker's own inspection (libs/volumes) through a port.
        { provide: MANAGED_VOLUME_CHECK, useValue: new ManagedVolumeRefusals(
          new FileVolumeProvider(options.volumes_path, { managedPaths: managedPathPolicyOf(options) })) },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer) {
    consumer.apply(RequestLogMiddleware, EmptyIdMiddleware).forRoutes('*');
    // Version discovery and health answer without credentials, as Cinder's do.
    consumer
      .apply(RequestContextMiddleware)
      .exclude({ path: '/', method: RequestMethod.GET }, { path: 'v3', method: RequestMethod.GET }, { path: 'healthz', method: RequestMethod.GET },
        // Probes, scrapes, the API description and the web page's static files need no token either.
        { path: 'readyz', method: RequestMethod.GET }, { path: 'metrics', method: RequestMethod.GET },
        { path: 'strata/v1/openapi.json', method: RequestMethod.GET }, { path: 'ui', method: RequestMethod.GET },
        { path: 'ui/:file', method: RequestMethod.GET })
      .forRoutes('*');
    consumer.apply(BodyDepthMiddleware).forRoutes('*');
  }
}
