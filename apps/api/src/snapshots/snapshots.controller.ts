import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { listResponse } from '../shared/list-response';
import { CATALOG, type Catalog, type SnapshotRow } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { SnapshotNotFound } from '@strata/domain';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { itemScopeOf, listScopeOf } from '../shared/scope';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../tokens';
import { CinderBody } from '../validation/cinder-body';
import { ListQueryParams, parseListQuery } from '../validation/list-query';
import { CreateSnapshotCommand } from './commands/create-snapshot.handler';
import { DeleteSnapshotCommand } from './commands/delete-snapshot.handler';
import { snapshotDetail, snapshotSummary } from './snapshot.presenter';
import { createSnapshotRequest, SNAPSHOT_CREATE_BODY, type SnapshotCreate } from './snapshot-requests.dto';
import { ApiDoc, ApiQueryOf } from '../operations/api-doc';
import { ApiTags } from '@nestjs/swagger';
import { Commands } from '../shared/commands';

/** Query filter → catalog filter; the keys are advertised by GET /resource_filters. */
export const FILTERS: Record<string, string> = { name: 'name', status: 'status', volume_id: 'volumeId' };

@ApiTags('Snapshots')
@Controller(['v3/snapshots', 'v3/:projectId/snapshots'])
export class SnapshotsController {
  constructor(
    private readonly commands: Commands,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
  ) {}

  @Get()
  @ApiDoc('List snapshots (summary view)', { 200: 'SnapshotList', 400: 'Fault' })
  @ApiQueryOf(ListQueryParams)
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>, @Req() req: Request) {
    return this.listSnapshots(ctx, query, req, snapshotSummary);
  }

  @Get('detail')
  @ApiDoc('List snapshots with every field', { 200: 'SnapshotList', 400: 'Fault' })
  @ApiQueryOf(ListQueryParams)
  detail(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>, @Req() req: Request) {
    return this.listSnapshots(ctx, query, req, (s) => snapshotDetail(ctx, s));
  }

  @Get(':snapshotId')
  @ApiDoc('Show a snapshot', { 200: 'SnapshotEnvelope', 404: 'Fault' })
  show(@Ctx() ctx: RequestContext, @Param('snapshotId') snapshotId: string) {
    authorize(ctx, 'volume:get_snapshot');
    return { snapshot: snapshotDetail(ctx, this.find(ctx, snapshotId)) };
  }

  @Post()
  @ApiDoc('Snapshot a volume', { 202: 'SnapshotEnvelope', 400: 'Fault', 404: 'Fault' })
  @HttpCode(202)
  async create(@Ctx() ctx: RequestContext, @CinderBody(SNAPSHOT_CREATE_BODY) body: { snapshot: SnapshotCreate }) {
    authorize(ctx, 'volume:create_snapshot');
    const snapshotId = this.ids.newId();
    await this.commands.execute(
      new CreateSnapshotCommand(
        {
          snapshotId,
          ...createSnapshotRequest(body.snapshot),
          now: this.clock.now().toISOString(),
        },
        ctx,
      ),
    );
    return { snapshot: snapshotDetail(ctx, this.find(ctx, snapshotId), 'answer') };
  }

  @Delete(':snapshotId')
  @ApiDoc('Delete a snapshot', { 202: null, 400: 'Fault', 404: 'Fault' })
  @HttpCode(202)
  async remove(@Ctx() ctx: RequestContext, @Param('snapshotId') snapshotId: string): Promise<void> {
    authorize(ctx, 'volume:delete_snapshot');
    await this.commands.execute(new DeleteSnapshotCommand(snapshotId, this.clock.now().toISOString(), ctx));
  }

  private find(ctx: RequestContext, snapshotId: string) {
    const snapshot = this.catalog.getSnapshot(snapshotId, itemScopeOf(ctx));
    if (!snapshot) throw new SnapshotNotFound(snapshotId);
    return snapshot;
  }

  private async listSnapshots<V>(ctx: RequestContext, query: Record<string, unknown>, req: Request, view: (s: SnapshotRow) => V) {
    authorize(ctx, 'volume:get_all_snapshots');
    const q = await parseListQuery(query, {
      maxLimit: this.options.osapi_max_limit,
      sortKeys: ['created_at', 'id', 'name', 'display_name', 'status', 'size'],
    });
    const filters: Record<string, string> = {};
    for (const [k, v] of Object.entries(q.filters)) if (FILTERS[k]) filters[FILTERS[k]] = v;
    const page = this.catalog.listSnapshots({
      filters,
      sort: q.sort,
      limit: q.limit,
      marker: q.marker,
      offset: q.offset,
      scope: listScopeOf(ctx, q.allTenants),
      withCount: q.withCount,
    });
    return listResponse(ctx, { path: req.path, query, list: q }, 'snapshots', page, view);
  }
}
