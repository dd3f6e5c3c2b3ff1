import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CATALOG, type Catalog } from '@strata/catalog';
import type { RecoveryReport } from '@strata/worker';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { CLOCK, type Clock } from '../tokens';
import { RecoverCatalogCommand } from './recover-catalog.handler';
import { parseRecoverRequest } from './recover-request.schema';

/**
 * POST /strata/v1/catalog/recover (admin): after losing the event store, rebuilds the backups from the
 * repository's `_metadata` objects and answers with what it recovered, what is incomplete and what it skipped.
 */
@Controller('strata/v1/catalog')
export class CatalogRecoveryController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('recover')
  @HttpCode(200)
  async recover(@Ctx() ctx: RequestContext, @Body() body: unknown) {
    authorize(ctx, 'strata:recover');
    const { path, projectId } = parseRecoverRequest(body);
    const { position, ...report }: RecoveryReport = await this.commandBus.execute(
      new RecoverCatalogCommand(path, projectId, this.clock.now().toISOString(), ctx),
    );
    if (position > 0n) await this.catalog.waitForPosition(position, 60_000);
    return { recovery: report };
  }
}
