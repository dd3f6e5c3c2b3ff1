import { Controller, Get, Query } from '@nestjs/common';
import { USER_FILTERS as BACKUP_FILTERS } from '../backups/backup-list-filters';
import { Ctx } from '../context/ctx.decorator';
import { atLeast } from '../context/microversion';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';
import { MESSAGE_USER_FILTERS } from '../messages/message-list-filters';
import { FILTERS as SNAPSHOT_FILTERS } from '../snapshots/snapshots.controller';
import { VOLUME_FILTERS } from '../volumes/volume-list-filters';
import { QueryField, validateQuery } from '../validation/query-fields';
import { ApiDoc, ApiQueryOf } from '../operations/api-doc';
import { ApiTags } from '@nestjs/swagger';

/** What each list honours for a non-admin: Strata's own resource_filters.json. */
const RESOURCE_FILTERS: Readonly<Record<string, readonly string[]>> = {
  backup: BACKUP_FILTERS,
  snapshot: Object.keys(SNAPSHOT_FILTERS),
  volume: VOLUME_FILTERS,
  message: MESSAGE_USER_FILTERS,
};

/** `resource`: one resource's filters. */
export class ResourceFiltersParams {
  @QueryField((_, all) => (all.length > 1 ? 'resource may be given once.' : null)) resource?: string;
}

/** GET /v3/resource_filters (3.33, `cinder list-filters`): Cinder's shape, optionally for one `resource`. */
@ApiTags('Versions')
@Controller(['v3/resource_filters', 'v3/:projectId/resource_filters'])
export class ResourceFiltersController {
  @Get()
  @ApiDoc('The list filters each resource honours (≥ 3.33)', { 200: 'ResourceFilters' })
  @ApiQueryOf(ResourceFiltersParams)
  async list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    if (!atLeast(ctx.microversion, '3.33')) throw HttpFault.notFound('The resource could not be found.');
    const { resource } = await validateQuery(ResourceFiltersParams, query);
    const entries = Object.entries(RESOURCE_FILTERS).filter(([name]) => resource === undefined || name === resource);
    return { resource_filters: entries.map(([name, filters]) => ({ resource: name, filters })) };
  }
}
