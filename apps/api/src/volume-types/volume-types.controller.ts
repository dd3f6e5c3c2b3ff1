import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CATALOG, VOLUME_TYPE_SORT_KEYS, type Catalog } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import type { Request } from 'express';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { ApiDoc, ApiQueryOf } from '../operations/api-doc';
import { listResponse } from '../shared/list-response';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../tokens';
import { CinderBody } from '../validation/cinder-body';
import { ListQueryParams, parseListQuery } from '../validation/list-query';
import { ChangeVolumeTypeCommand } from './commands/change-volume-type.handler';
import { typeVisibilityOf, VolumeTypeLookup } from './volume-type-lookup';
import { volumeTypeListFilters } from './volume-type-list-query';
import { volumeTypeManageView, volumeTypeView } from './volume-type.presenter';
import {
  createVolumeTypeRequest,
  updateVolumeTypeRequest,
  VOLUME_TYPE_CREATE_BODY,
  VOLUME_TYPE_UPDATE_BODY,
  type VolumeTypeCreate,
  type VolumeTypeUpdate,
} from './volume-type-requests.dto';
import { Commands } from '../shared/commands';

/** `display_name` is not a column of volume types: Cinder sorts types by their own columns only. */
const SORT_KEYS = [...VOLUME_TYPE_SORT_KEYS];

/** Cinder's /types: list and show for every project reader, create, update and delete for admins. */
@ApiTags('Volume types')
@Controller(['v3', 'v3/:projectId'])
export class VolumeTypesController {
  constructor(
    private readonly commands: Commands,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
    private readonly types: VolumeTypeLookup,
  ) {}

  @Get('types')
  @ApiDoc('List volume types (admins: is_public=None for all, extra_specs and column filters)', { 200: 'VolumeTypeList', 400: 'Fault' })
  @ApiQueryOf(ListQueryParams)
  async list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>, @Req() req: Request) {
    authorize(ctx, 'volume_extension:type_get_all');
    const q = await parseListQuery(query, { maxLimit: this.options.osapi_max_limit, sortKeys: SORT_KEYS });
    const filters = volumeTypeListFilters(ctx, q);
    const page =
      filters === null
        ? { rows: [], total: 0 }
        : this.catalog.listVolumeTypes({
            ...filters,
            visibility: typeVisibilityOf(ctx),
            sort: q.sort,
            limit: q.limit,
            marker: q.marker,
            offset: q.offset,
          });
    const { volume_types_links: links, ...body } = listResponse(
      ctx,
      { path: req.path, query, list: { ...q, withCount: false } },
      'volume_types',
      page,
      (t) => volumeTypeView(ctx, t),
    );
    // Cinder names the next link of this list in the singular.
    return links === undefined ? body : { ...body, volume_type_links: links };
  }

  @Get('types/default')
  @ApiDoc('Show the default volume type (default_volume_type)', { 200: 'VolumeTypeEnvelope', 500: 'Fault' })
  showDefault(@Ctx() ctx: RequestContext) {
    const type = this.types.configuredDefault();
    authorize(ctx, 'volume_extension:type_get');
    return { volume_type: volumeTypeView(ctx, type) };
  }

  @Get('types/:typeId')
  @ApiDoc('Show a volume type', { 200: 'VolumeTypeEnvelope', 404: 'Fault' })
  show(@Ctx() ctx: RequestContext, @Param('typeId') typeId: string) {
    const type = this.types.byId(ctx, typeId);
    authorize(ctx, 'volume_extension:type_get');
    return { volume_type: volumeTypeView(ctx, type) };
  }

  @Post('types')
  @ApiDoc('Create a volume type (admin)', { 200: 'VolumeTypeEnvelope', 400: 'Fault', 403: 'Fault', 409: 'Fault' })
  @HttpCode(200)
  async create(@Ctx() ctx: RequestContext, @CinderBody(VOLUME_TYPE_CREATE_BODY) body: { volume_type: VolumeTypeCreate }) {
    authorize(ctx, 'volume_extension:type_create');
    const appended = await this.commands.execute(
      new ChangeVolumeTypeCommand(
        {
          type: 'CreateVolumeType',
          data: { volumeTypeId: this.ids.newId(), ...createVolumeTypeRequest(body.volume_type), now: this.now() },
        },
        ctx,
      ),
    );
    return { volume_type: volumeTypeManageView(ctx, this.types.byId(ctx, appended.id), { created: true }) };
  }

  @Put('types/:typeId')
  @ApiDoc("Update a volume type's name, description or is_public (admin)", {
    200: 'VolumeTypeEnvelope',
    400: 'Fault',
    403: 'Fault',
    404: 'Fault',
    409: 'Fault',
  })
  async update(
    @Ctx() ctx: RequestContext,
    @Param('typeId') typeId: string,
    @CinderBody(VOLUME_TYPE_UPDATE_BODY) body: { volume_type: VolumeTypeUpdate },
  ) {
    authorize(ctx, 'volume_extension:type_update');
    const appended = await this.commands.execute(
      new ChangeVolumeTypeCommand(
        {
          type: 'UpdateVolumeType',
          data: { volumeTypeId: typeId, ...updateVolumeTypeRequest(body.volume_type), now: this.now() },
        },
        ctx,
      ),
    );
    return { volume_type: volumeTypeManageView(ctx, this.types.byId(ctx, appended.id), { created: false }) };
  }

  @Delete('types/:typeId')
  @ApiDoc('Delete a volume type: not the default, not the last, not one in use (admin)', {
    202: null,
    400: 'Fault',
    403: 'Fault',
    404: 'Fault',
  })
  @HttpCode(202)
  async remove(@Ctx() ctx: RequestContext, @Param('typeId') typeId: string): Promise<void> {
    authorize(ctx, 'volume_extension:type_delete');
    await this.commands.execute(
      new ChangeVolumeTypeCommand({ type: 'DeleteVolumeType', data: { volumeTypeId: typeId, now: this.now() } }, ctx),
    );
  }

  private now() {
    return this.clock.now().toISOString();
  }
}
