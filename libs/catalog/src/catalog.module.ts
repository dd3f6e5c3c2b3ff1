import {
  Inject, Logger, Module, type BeforeApplicationShutdown, type DynamicModule, type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@strata/event-store';
import { Catalog, CATALOG } from './catalog';

export interface CatalogModuleOptions {
  /** The read-model SQLite file. */
  readonly path: string;
}

/**
 * The only Nest-aware file of the library: provides the `Catalog` under CATALOG, catches it up with
 * the log before the app serves, and stops the runner before the event store closes.
 */
@Module({})
export class CatalogModule implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Catalog');

  constructor(@Inject(CATALOG) private readonly catalog: Catalog) {}

  static forRoot({ path }: CatalogModuleOptions): DynamicModule {
    const logger = new Logger('Catalog');
    return {
      module: CatalogModule,
      global: true,
      providers: [{
        provide: CATALOG,
        inject: [EVENT_STORE],
        useFactory: (store: EventStore): Catalog =>
          Catalog.open({ path, store, onFailure: (error) => logger.error(`The catalog stopped: ${error.message}`, error.stack) }),
      }],
      exports: [CATALOG],
    };
  }

  /** A restarted service answers from a catalog that has seen the whole log, not a stale one. */
  async onApplicationBootstrap(): Promise<void> {
    this.catalog.start();
    await this.catalog.caughtUp();
    this.logger.log(`caught up at position ${this.catalog.position()}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.catalog.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.catalog.close();
  }
}
