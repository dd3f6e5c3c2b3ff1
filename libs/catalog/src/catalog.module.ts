import {
  Inject,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@strata/event-store';
import { Catalog, CATALOG } from './catalog';
import { messageOf } from './errors';

export interface CatalogModuleOptions {
  /** The read-model SQLite file. */
  readonly path: string;
}

/**
 * The only Nest-aware file of the library: provides the `Catalog` under CATALOG, catches it up with
 * the log before the app serves (rebuilding it first when it does not match the log), logs what the
 * catalog reports, and stops the runner before the event store closes.
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
      providers: [
        {
          provide: CATALOG,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore): Catalog =>
            Catalog.open({
              path,
              store,
              onFailure: (error) => logger.error(`The catalog stopped: ${error.message}`, error.stack),
              onParked: (failure) =>
                logger.error(
                  `Parked event ${failure.eventId} (${failure.eventType} in ${failure.streamId}) at position ${failure.position}: ` +
                    `projection ${failure.projection} failed: ${messageOf(failure.cause)}`,
                ),
              warn: (message) => logger.warn(message),
              onCatchUpOnThread: (from, head) =>
                logger.log(`${head - from} events behind the log (an import, or a start after downtime): catching up on a thread`),
            }),
        },
      ],
      exports: [CATALOG],
    };
  }

  /**
   * A restarted service answers from a catalog that has seen the whole log, not a stale one. Parked
   * events do not hold it back: they are reported, by /readyz among others.
   */
  async onApplicationBootstrap(): Promise<void> {
    this.catalog.start();
    await this.catalog.caughtUp();
    this.logger.log(`caught up at position ${this.catalog.position()}`);
    const parked = this.catalog.parkedEventCount();
    if (parked > 0)
      this.logger.warn(
        `${parked} event(s) parked: no projection effect applied (GET /strata/v1/catalog/failures; strata catalog rebuild retries them)`,
      );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.catalog.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.catalog.close();
  }
}
