import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from './event-store.port';
import { EVENT_STORE } from './event-store.tokens';
import { openEventStore } from './open-event-store';

export interface EventStoreModuleOptions {
  /** The `event_store` option: `sqlite:PATH`, `memory:` or `esdb://…`. */
  readonly url: string;
}

/** The only Nest-aware file of the library: provides EVENT_STORE and closes it when the app shuts down. */
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static forRoot({ url }: EventStoreModuleOptions): DynamicModule {
    return {
      module: EventStoreModule,
      global: true,
      providers: [{ provide: EVENT_STORE, useFactory: (): EventStore => openEventStore(url) }],
      exports: [EVENT_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
