import { Controller, Get, Header, Inject } from '@nestjs/common';
import { CATALOG, type Catalog } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { EVENT_STORE, type EventStore } from '@strata/event-store';
import { notificationBacklog } from '@strata/workflows';
import { notificationsEnabled } from './notification-status';
import { exposition, PROMETHEUS_CONTENT_TYPE } from './prometheus-text';
import { strataMetrics } from './strata-metrics';
import { ApiDoc } from './api-doc';
import { ApiTags } from '@nestjs/swagger';

/** Prometheus scrapes this without credentials, like /healthz; it shows counts, never names or ids. */
@ApiTags('Operations')
@Controller()
export class MetricsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
  ) {}

  @Get('metrics')
  @ApiDoc('Prometheus metrics (text exposition format 0.0.4)', { 200: null }, { auth: false, produces: 'text/plain; version=0.0.4' })
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  async metrics(): Promise<string> {
    const head = await this.store.headPosition();
    const notificationLagEvents = notificationsEnabled(this.options) ? (await notificationBacklog(this.store)).lagEvents : undefined;
    return exposition(
      strataMetrics(this.catalog.operationsMetrics(), {
        head,
        catalog: this.catalog.position(),
        parkedEvents: this.catalog.parkedEventCount(),
        notificationLagEvents,
      }),
    );
  }
}
