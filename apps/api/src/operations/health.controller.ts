import { Controller, Get, Inject, Res } from '@nestjs/common';
import { CATALOG, type Catalog } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { EVENT_STORE, type EventStore } from '@strata/event-store';
import { notificationReadiness, notificationsEnabled } from './notification-status';
import type { Response } from 'express';
import { ApiDoc } from './api-doc';
import { ApiTags } from '@nestjs/swagger';

/**
 * How long the read models may take to reach the log's head before the instance reports not ready:
 * a command's response waits for the same catch-up, so a replica further behind would answer slowly.
 */
export const READINESS_CATCH_UP_MS = 2_000;

const parkedWarning = (n: number) =>
  `${n} event${n === 1 ? ' is' : 's are'} parked: no projection could apply ${n === 1 ? 'it' : 'them'}, so the read models ` +
  `lack ${n === 1 ? 'its' : 'their'} effects. GET /strata/v1/catalog/failures lists them; strata catalog rebuild retries them.`;

/** Liveness and readiness for supervisors and load balancers; no authentication. */
@ApiTags('Operations')
@Controller()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
  ) {}

  @Get('healthz')
  @ApiDoc('Liveness: the event store answers', { 200: 'Health', 503: 'Health' }, { auth: false })
  async health(@Res() res: Response) {
    try {
      const head = await this.store.headPosition();
      res.status(200).json({ status: 'ok', eventStore: { reachable: true, headPosition: Number(head) } });
    } catch (e) {
      res.status(503).json({ status: 'unavailable', eventStore: { reachable: false, error: (e as Error).message } });
    }
  }

  /**
   * Ready: the event store answers, and the read models reach its head within READINESS_CATCH_UP_MS.
   * Degraded (still 200: the instance serves) when the catalog parked events it could not apply. With a
   * notification driver, the notifications not yet confirmed by the broker are reported, never a reason to be unready.
   */
  @Get('readyz')
  @ApiDoc(
    'Readiness: event store reachable and read models caught up within a bound',
    { 200: 'Readiness', 503: 'Readiness' },
    { auth: false },
  )
  async ready(@Res() res: Response) {
    let head: bigint;
    try {
      head = await this.store.headPosition();
    } catch (e) {
      res.status(503).json({ status: 'not ready', eventStore: { reachable: false, error: (e as Error).message } });
      return;
    }
    const failure = this.catalog.failure();
    let caughtUp = failure === null;
    if (caughtUp)
      caughtUp = await this.catalog.waitForPosition(head, READINESS_CATCH_UP_MS).then(
        () => true,
        () => false,
      );
    const position = this.catalog.position();
    const parked = this.catalog.parkedEventCount();
    const notifications = notificationsEnabled(this.options) ? await notificationReadiness(this.store, this.options) : undefined;
    res.status(caughtUp ? 200 : 503).json({
      status: !caughtUp ? 'not ready' : parked > 0 ? 'degraded' : 'ready',
      eventStore: { reachable: true, headPosition: Number(head) },
      catalog: {
        position: Number(position),
        lagEvents: Math.max(0, Number(head - position)),
        maxCatchUpMs: READINESS_CATCH_UP_MS,
        parkedEvents: parked,
        ...(parked > 0 ? { degraded: parkedWarning(parked) } : {}),
        ...(failure ? { error: failure.message } : {}),
      },
      ...(notifications ? { notifications } : {}),
    });
  }
}
