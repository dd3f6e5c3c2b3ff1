import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CATALOG, type Catalog, type VolumeRow } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { VolumeNotFound } from '@strata/domain';
import type { Request } from 'express';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';
import { listResponse } from '../shared/list-response';
import { itemScopeOf, listScopeOf } from '../shared/scope';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../tokens';
import { envelope, optionalString } from '../validation/body-schema';
import { parseListQuery } from '../validation/list-query';
import { ChangeVolumeCommand } from './commands/change-volume.handler';
import { CreateVolumeCommand } from './commands/create-volume.handler';
import { assertManageable, MANAGED_VOLUME_CHECK, type ManagedVolumeCheck } from './managed-volume-check';
import { parseCreateVolume, parseManageVolume, parseUpdateVolume } from './volume-request.schema';
import { volumeDetail, volumeSummary } from './volume.presenter';

/** `display_name`: what cinderclient sends for `cinder list --sort name`. */
const SORT_KEYS = ['created_at', 'id', 'name', 'display_name', 'status', 'size', 'updated_at'];
/** The list filters volumes honour (advertised by GET /resource_filters). */
export const VOLUME_FILTERS = ['name', 'status'];

/** The volume calls clients make around backups, and Cinder's manage API for existing devices. */
@Controller(['v3', 'v3/:projectId'])
export class VolumesController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
    @Inject(MANAGED_VOLUME_CHECK) private readonly managedVolumes: ManagedVolumeCheck,
  ) {}

  @Get('volumes')
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>, @Req() req: Request) {
    return this.listVolumes(ctx, query, req, (v) => volumeSummary(ctx, v));
  }

  @Get('volumes/detail')
  detail(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>, @Req() req: Request) {
    return this.listVolumes(ctx, query, req, (v) => volumeDetail(ctx, v));
  }

  @Get('volumes/:volumeId')
  show(@Ctx() ctx: RequestContext, @Param('volumeId') volumeId: string) {
    authorize(ctx, 'volume:get');
    return { volume: volumeDetail(ctx, this.findVolume(ctx, volumeId)) };
  }

  @Post('volumes')
  @HttpCode(202)
  async create(@Ctx() ctx: RequestContext, @Body() body: unknown) {
    authorize(ctx, 'volume:create');
    const r = parseCreateVolume(body);
    return this.createVolume(ctx, { ...r, source: { kind: 'blank' } });
  }

  @Post('os-volume-manage')
  @HttpCode(202)
  async manage(@Ctx() ctx: RequestContext, @Body() body: unknown) {
    authorize(ctx, 'volume_extension:volume_manage');
    const { ref, ...r } = parseManageVolume(body);
    await assertManageable(this.managedVolumes, ref);
    // The size is learnt when the worker inspects the device; until then the volume is `creating`.
    return this.createVolume(ctx, { ...r, sizeGb: 0, encryptionKeyId: null, source: { kind: 'managed', ref } });
  }

  @Put('volumes/:volumeId')
  async update(@Ctx() ctx: RequestContext, @Param('volumeId') volumeId: string, @Body() body: unknown) {
    authorize(ctx, 'volume:update');
    const changes = parseUpdateVolume(body);
    const appended = await this.commandBus.execute(new ChangeVolumeCommand(
      { type: 'UpdateVolume', data: { volumeId, ...changes, now: this.now() } }, ctx));
    await this.catalog.waitForPosition(appended.position);
    return { volume: volumeDetail(ctx, this.findVolume(ctx, appended.id)) };
  }

  @Delete('volumes/:volumeId')
  @HttpCode(202)
  async remove(@Ctx() ctx: RequestContext, @Param('volumeId') volumeId: string): Promise<void> {
    authorize(ctx, 'volume:delete');
    const appended = await this.commandBus.execute(new ChangeVolumeCommand(
      { type: 'RequestVolumeDeletion', data: { volumeId, now: this.now() } }, ctx));
    await this.catalog.waitForPosition(appended.position);
  }

  @Post('volumes/:volumeId/action')
  @HttpCode(202)
  async act(@Ctx() ctx: RequestContext, @Param('volumeId') volumeId: string, @Body() body: unknown): Promise<void> {
    const action = typeof body === 'object' && body !== null ? Object.keys(body)[0] : undefined;
    const now = this.now();
    let appended;
    if (action === 'os-attach') {
      authorize(ctx, 'volume_extension:volume_actions:attach');
      const a = envelope(body, 'os-attach');
      appended = await this.commandBus.execute(new ChangeVolumeCommand({ type: 'AttachVolume', data: {
        volumeId, instanceUuid: optionalString(a, 'instance_uuid') ?? null, hostName: optionalString(a, 'host_name') ?? null,
        mountpoint: optionalString(a, 'mountpoint') ?? null, now,
      } }, ctx));
    } else if (action === 'os-detach') {
      authorize(ctx, 'volume_extension:volume_actions:detach');
      appended = await this.commandBus.execute(new ChangeVolumeCommand({ type: 'DetachVolume', data: { volumeId, now } }, ctx));
    } else if (action === 'os-unmanage') {
      // `cinder unmanage`: Strata only forgets a location it does not own, so unmanaging a managed volume
      // is deleting it. An image Strata created would be removed, which unmanage promises not to do.
      authorize(ctx, 'volume_extension:volume_unmanage');
      if (this.findVolume(ctx, volumeId).sourceKind !== 'managed')
        throw HttpFault.badRequest('Invalid volume: Only volumes registered with os-volume-manage can be unmanaged; delete a volume Strata created.');
      appended = await this.commandBus.execute(new ChangeVolumeCommand({ type: 'RequestVolumeDeletion', data: { volumeId, now } }, ctx));
    } else throw HttpFault.badRequest(`There is no such action: ${action ?? '(none)'}`);
    await this.catalog.waitForPosition(appended.position);
  }

  private async createVolume(ctx: RequestContext, r: Omit<ConstructorParameters<typeof CreateVolumeCommand>[0], 'volumeId' | 'createdAt' | 'availabilityZone'> & { availabilityZone: string | null }) {
    const volumeId = this.ids.newId();
    const appended = await this.commandBus.execute(new CreateVolumeCommand({
      ...r, volumeId, availabilityZone: r.availabilityZone ?? this.options.storage_availability_zone, createdAt: this.now(),
    }, ctx));
    await this.catalog.waitForPosition(appended.position);
    return { volume: volumeDetail(ctx, this.findVolume(ctx, volumeId)) };
  }

  private now() {
    return this.clock.now().toISOString();
  }

  private findVolume(ctx: RequestContext, volumeId: string) {
    const volume = this.catalog.getVolume(volumeId, itemScopeOf(ctx));
    if (!volume) throw new VolumeNotFound(volumeId);
    return volume;
  }

  private listVolumes<V>(ctx: RequestContext, query: Record<string, unknown>, req: Request, view: (v: VolumeRow) => V) {
    authorize(ctx, 'volume:get_all');
    const q = parseListQuery(query, { maxLimit: this.options.osapi_max_limit, sortKeys: SORT_KEYS });
    const filters = Object.fromEntries(Object.entries(q.filters).filter(([k]) => VOLUME_FILTERS.includes(k)));
    const page = this.catalog.listVolumes({ filters, sort: q.sort, limit: q.limit, marker: q.marker, offset: q.offset, scope: listScopeOf(ctx, q.allTenants) });
    return listResponse(ctx, { path: req.path, query, list: q, withCount: q.withCount }, 'volumes', page, view);
  }
}
