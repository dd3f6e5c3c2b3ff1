import { Controller, Get, Inject, Res } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@strata/event-store';
import type { Response } from 'express';

/** Liveness and readiness for supervisors and load balancers; no authentication. */
@Controller()
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('healthz')
  async health(@Res() res: Response) {
    try {
      const head = await this.store.headPosition();
      res.status(200).json({ status: 'ok', eventStore: { reachable: true, headPosition: Number(head) } });
    } catch (e) {
      res.status(503).json({ status: 'unavailable', eventStore: { reachable: false, error: (e as Error).message } });
    }
  }
}
