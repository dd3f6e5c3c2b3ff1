import { Module, type DynamicModule } from '@nestjs/common';
import { CatalogModule } from '@strata/catalog';
import { ConfigModule, type StrataOptions } from '@strata/config';
import { EventStoreModule } from '@strata/event-store';
import { WorkerModule } from './worker.module';

/**
 * A worker on its own: the shared event store, a catalog replica of its own (`worker_catalog_path`,
 * in memory by default, caught up from the log at start) and the jobs. No HTTP.
 */
@Module({})
export class WorkerProcessModule {
  static forRoot(options: StrataOptions): DynamicModule {
    return {
      module: WorkerProcessModule,
      imports: [
        ConfigModule.forRoot(options),
        EventStoreModule.forRoot({ url: options.event_store }),
        CatalogModule.forRoot({ path: options.worker_catalog_path }),
        WorkerModule,
      ],
    };
  }
}
