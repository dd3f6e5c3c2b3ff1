import { Controller, HttpCode, Inject, Post } from '@nestjs/common';
import type { RecoveryReport } from '@strata/recovery';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { CLOCK, type Clock } from '../tokens';
import { RecoverCatalogCommand } from './commands/recover-catalog.handler';
import { CinderBody } from '../validation/cinder-body';
import { RecoverRequest } from './recover-request.dto';
import { ApiDoc } from '../operations/api-doc';
import { ApiTags } from '@nestjs/swagger';
import { Commands } from '../shared/commands';

/**
 * POST /strata/v1/catalog/recover (admin): after losing the event store, rebuilds the backups from the
 * repository's `_metadata` objects and answers with what it recovered, what is incomplete and what it skipped.
 */
@ApiTags('Strata')
@Controller('strata/v1/catalog')
export class CatalogRecoveryController {
  constructor(
    private readonly commands: Commands,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('recover')
  @ApiDoc('Scan a repository for _metadata and import every backup the log lacks (admin)', {
    200: 'RecoveryEnvelope',
    400: 'Fault',
    403: 'Fault',
  })
  @HttpCode(200)
  async recover(@Ctx() ctx: RequestContext, @CinderBody(RecoverRequest, { optional: true }) body: RecoverRequest) {
    authorize(ctx, 'strata:recover');
    const path = body.repository?.path ?? null;
    const projectId = body.project_id ?? null;
    // A scan may record a whole repository: the read side gets longer than a command's wait to show it.
    const { position: _, ...report }: RecoveryReport = await this.commands.execute(
      new RecoverCatalogCommand(path, projectId, this.clock.now().toISOString(), ctx),
      { catalogWaitMs: 60_000 },
    );
    return { recovery: report };
  }
}
