import { Controller, Get, Inject } from '@nestjs/common';
import { CATALOG, type Catalog, type ProjectionFailureRow } from '@strata/catalog';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { ApiDoc } from '../operations/api-doc';
import { ApiTags } from '@nestjs/swagger';

const present = (f: ProjectionFailureRow) => ({
  position: Number(f.position),
  event_id: f.eventId,
  stream_id: f.streamId,
  type: f.type,
  projection: f.projection,
  error: f.error,
  parked_at: f.parkedAt,
});

/**
 * The events the catalog parked: a projection threw on them, so the read models went on without their
 * effects. `POST /strata/v1/catalog/rebuild` retries them.
 */
@ApiTags('Strata')
@Controller('strata/v1/catalog')
export class CatalogFailuresController {
  constructor(@Inject(CATALOG) private readonly catalog: Catalog) {}

  @Get('failures')
  @ApiDoc('Events the catalog parked because a projection could not apply them (admin)', { 200: 'ProjectionFailureList', 403: 'Fault' })
  failures(@Ctx() ctx: RequestContext) {
    authorize(ctx, 'strata:catalog_failures');
    return { failures: this.catalog.projectionFailures().map(present) };
  }
}
