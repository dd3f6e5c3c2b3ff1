import { Controller, Get, Inject, Param } from '@nestjs/common';
import { CATALOG, type Catalog } from '@strata/catalog';
import { VolumeNotFound } from '@strata/domain';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { itemScopeOf } from '../shared/scope';
import { chainMemberView } from './job.presenter';
import { ApiDoc } from '../operations/api-doc';
import { ApiTags } from '@nestjs/swagger';

/** A volume's backups with their parents, oldest data first: enough to draw full → incremental chains. */
@ApiTags('Strata')
@Controller('strata/v1/volumes')
export class BackupChainsController {
  constructor(@Inject(CATALOG) private readonly catalog: Catalog) {}

  @Get(':volumeId/backups')
  @ApiDoc("A volume's backups with their parents (full → incrementals), oldest data first", { 200: 'ChainList', 404: 'Fault' })
  backupsOf(@Ctx() ctx: RequestContext, @Param('volumeId') volumeId: string) {
    authorize(ctx, 'backup:get_all');
    const scope = itemScopeOf(ctx);
    if (!this.catalog.getVolume(volumeId, scope)) throw new VolumeNotFound(volumeId);
    const { rows } = this.catalog.listBackups({
      filters: { volumeId },
      scope,
      limit: null,
      sort: [
        { key: 'data_timestamp', dir: 'asc' },
        { key: 'created_at', dir: 'asc' },
      ],
    });
    return { backups: rows.map(chainMemberView) };
  }
}
