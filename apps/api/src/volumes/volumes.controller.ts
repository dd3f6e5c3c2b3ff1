import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { CATALOG, type Catalog, type VolumeRow } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { VolumeNotFound } from '@strata/domain';
import type { Request, Response } from 'express';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';
import { listResponse } from '../shared/list-response';
import { itemScopeOf, listScopeOf } from '../shared/scope';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../tokens';
import { ListQueryParams, parseListQuery } from '../validation/list-query';
import { ChangeVolumeCommand, type VolumeChange } from './commands/change-volume.handler';
import { CreateVolumeCommand } from './commands/create-volume.handler';
import { actionOf, noSuchAction } from '../validation/action-body';
import { CinderBody, validateBody } from '../validation/cinder-body';
import {
  attachVolumeRequest,
  createVolumeRequest,
  manageVolumeRequest,
  updateVolumeRequest,
  VOLUME_ATTACH_BODY,
  VOLUME_CREATE_BODIES,
  VOLUME_DETACH_BODY,
  VOLUME_MANAGE_BODIES,
  VOLUME_UNMANAGE_BODY,
  VOLUME_UPDATE_BODIES,
  type VolumeCreateV347,
  type VolumeManageV316,
  type VolumeUpdate,
} from './volume-requests.dto';
import { assertManageable, MANAGED_VOLUME_CHECK, type ManagedVolumeCheck } from './managed-volume-check';
import { volumeDetail, volumeSummary } from './volume.presenter';
import { volumeActionOf } from './volume-actions';
import { newVolumeFromSource } from './volume-sources';
import { ApiDoc, ApiQueryOf } from '../operations/api-doc';
import { ApiTags } from '@nestjs/swagger';
import { VolumeKeys } from '../key-manager/volume-keys';
import { VolumeTypeLookup } from '../volume-types/volume-type-lookup';
import { volumeListSelection } from './volume-list-filters';
import { Commands } from '../shared/commands';

/** `display_name`: what cinderclient sends for `cinder list --sort name`. */
const SORT_KEYS = ['created_at', 'id', 'name', 'display_name', 'status', 'size', 'updated_at'];

/** The volume calls clients make around backups, and Cinder's manage API for existing devices. */
@ApiTags('Volumes')
@Controller(['v3', 'v3/:projectId'])
export class VolumesController {
  constructor(
    private readonly commands: Commands,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
    @Inject(MANAGED_VOLUME_CHECK) private readonly managedVolumes: ManagedVolumeCheck,
    private readonly volumeTypes: VolumeTypeLookup,
    private readonly volumeKeys: VolumeKeys,
  ) {}

  @Get('volumes')
  @ApiDoc('List volumes (summary view)', { 200: 'VolumeList', 400: 'Fault' })
  @ApiQueryOf(ListQueryParams)
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>, @Req() req: Request) {
    return this.listVolumes(ctx, query, req, (v) => volumeSummary(ctx, v));
  }

  @Get('volumes/detail')
  @ApiDoc('List volumes with every field', { 200: 'VolumeList', 400: 'Fault' })
  @ApiQueryOf(ListQueryParams)
  detail(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>, @Req() req: Request) {
    return this.listVolumes(ctx, query, req, (v) => volumeDetail(ctx, v));
  }

  @Get('volumes/:volumeId')
  @ApiDoc('Show a volume', { 200: 'VolumeEnvelope', 404: 'Fault' })
  show(@Ctx() ctx: RequestContext, @Param('volumeId') volumeId: string) {
    authorize(ctx, 'volume:get');
    return { volume: volumeDetail(ctx, this.findVolume(ctx, volumeId)) };
  }

  @Post('volumes')
  @ApiDoc('Create a file-backed volume: blank, or from a backup (3.47), a snapshot or another volume', {
    202: 'VolumeEnvelope',
    400: 'Fault',
    404: 'Fault',
  })
  @HttpCode(202)
  async create(@Ctx() ctx: RequestContext, @CinderBody(VOLUME_CREATE_BODIES) body: { volume: VolumeCreateV347 }) {
    authorize(ctx, 'volume:create');
    const { source, ...r } = createVolumeRequest(body);
    const from = newVolumeFromSource(this.catalog, this.volumeTypes, ctx, source, r);
    // The key of a volume from a source is its source's: another one given would not be honoured.
    if (from && r.encryptionKeyId)
      throw HttpFault.badRequest(
        'Invalid input received: A volume created from a source takes its encryption key; encryption_key_id cannot be given.',
      );
    if (from) {
      // From a backup: the volume's own clone of the backup's key, as a restore into a new volume gets
      // (Cinder's _run_restore); the backup's key is deleted with the backup.
      const { backupKeyId, ...created } = from;
      const keyId = backupKeyId && this.volumeKeys.enabled ? await this.volumeKeys.cloneOf(ctx, backupKeyId) : created.encryptionKeyId;
      try {
        return await this.createVolume(ctx, { ...r, ...created, encryptionKeyId: keyId });
      } catch (e) {
        if (keyId !== created.encryptionKeyId) await this.volumeKeys.discard(ctx, keyId, 'the volume create was refused');
        throw e;
      }
    }
    const sizeGb = r.sizeGb as number;
    // With a key manager an encrypted type needs no key from the client: Strata makes one, as Cinder does.
    const type = this.volumeTypes.forNewVolume(ctx, r.volumeType, {
      ...r,
      sizeGb,
      encryptionKeyId: r.encryptionKeyId ?? (this.volumeKeys.enabled ? 'made-by-the-key-manager' : null),
    });
    const made = r.encryptionKeyId === null ? await this.volumeKeys.forNewVolume(ctx, type.volumeTypeId, r.name ?? 'unnamed') : null;
    try {
      return await this.createVolume(ctx, { ...r, sizeGb, ...type, encryptionKeyId: r.encryptionKeyId ?? made, source: { kind: 'blank' } });
    } catch (e) {
      await this.volumeKeys.discard(ctx, made, 'the volume create was refused');
      throw e;
    }
  }

  @Post('os-volume-manage')
  @ApiDoc('Register an existing file or block device as a volume (admin; within managed_volume_paths)', {
    202: 'VolumeEnvelope',
    400: 'Fault',
    403: 'Fault',
  })
  @HttpCode(202)
  async manage(@Ctx() ctx: RequestContext, @CinderBody(VOLUME_MANAGE_BODIES) body: { volume: VolumeManageV316 }) {
    authorize(ctx, 'volume_extension:volume_manage');
    const { ref, ...r } = manageVolumeRequest(body.volume);
    const type = this.volumeTypes.forNewVolume(ctx, r.volumeType, { sizeGb: null, encryptionKeyId: null }, 'invalid');
    await assertManageable(this.managedVolumes, ref);
    // The size is learnt when the worker inspects the device; until then the volume is `creating`.
    return this.createVolume(ctx, { ...r, ...type, sizeGb: 0, encryptionKeyId: null, source: { kind: 'managed', ref } });
  }

  @Put('volumes/:volumeId')
  @ApiDoc('Update name, description or metadata', { 200: 'VolumeEnvelope', 400: 'Fault', 404: 'Fault' })
  async update(
    @Ctx() ctx: RequestContext,
    @Param('volumeId') volumeId: string,
    @CinderBody(VOLUME_UPDATE_BODIES) body: { volume: VolumeUpdate },
  ) {
    authorize(ctx, 'volume:update');
    const changes = updateVolumeRequest(body.volume);
    const appended = await this.commands.execute(
      new ChangeVolumeCommand({ type: 'UpdateVolume', data: { volumeId, ...changes, now: this.now() } }, ctx),
    );
    return { volume: volumeDetail(ctx, this.findVolume(ctx, appended.id), 'answer') };
  }

  @Delete('volumes/:volumeId')
  @ApiDoc('Delete a volume', { 202: null, 400: 'Fault', 404: 'Fault' })
  @HttpCode(202)
  async remove(@Ctx() ctx: RequestContext, @Param('volumeId') volumeId: string): Promise<void> {
    authorize(ctx, 'volume:delete');
    await this.commands.execute(new ChangeVolumeCommand({ type: 'RequestVolumeDeletion', data: { volumeId, now: this.now() } }, ctx));
  }

  @Post('volumes/:volumeId/action')
  @ApiDoc(
    'Volume actions: os-attach, os-detach, os-reserve, os-unreserve, os-begin_detaching, os-roll_detaching, os-extend, ' +
      'os-update_readonly_flag, os-set_bootable (200), os-unmanage (admin)',
    { 200: null, 202: null, 400: 'Fault', 404: 'Fault' },
  )
  @HttpCode(202)
  async act(@Ctx() ctx: RequestContext, @Param('volumeId') volumeId: string, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const action = actionOf(body);
    const now = this.now();
    const other = volumeActionOf(action);
    let status = 202;
    let change: VolumeChange;
    if (action === 'os-attach') {
      authorize(ctx, 'volume_extension:volume_actions:attach');
      const { 'os-attach': attach } = await validateBody(VOLUME_ATTACH_BODY, body);
      change = { type: 'AttachVolume', data: { volumeId, ...attachVolumeRequest(attach), now } };
    } else if (action === 'os-detach') {
      authorize(ctx, 'volume_extension:volume_actions:detach');
      await validateBody(VOLUME_DETACH_BODY, body);
      change = { type: 'DetachVolume', data: { volumeId, now } };
    } else if (action === 'os-unmanage') {
      // `cinder unmanage`: Strata only forgets a location it does not own, so unmanaging a managed volume
      // is deleting it. An image Strata created would be removed, which unmanage promises not to do.
      authorize(ctx, 'volume_extension:volume_unmanage');
      await validateBody(VOLUME_UNMANAGE_BODY, body);
      if (this.findVolume(ctx, volumeId).sourceKind !== 'managed')
        throw HttpFault.badRequest(
          'Invalid volume: Only volumes registered with os-volume-manage can be unmanaged; delete a volume Strata created.',
        );
      change = { type: 'RequestVolumeDeletion', data: { volumeId, now } };
    } else if (other) {
      authorize(ctx, other.policy);
      change = await other.change(body, { volumeId, now, microversion: ctx.microversion });
      status = other.status;
    } else throw noSuchAction(action);
    await this.commands.execute(new ChangeVolumeCommand(change, ctx));
    // The response is sent here because os-set_bootable answers 200 where every other action answers 202.
    res.status(status).send();
  }

  private async createVolume(
    ctx: RequestContext,
    r: Omit<ConstructorParameters<typeof CreateVolumeCommand>[0], 'volumeId' | 'createdAt' | 'availabilityZone'> & {
      availabilityZone: string | null;
    },
  ) {
    const volumeId = this.ids.newId();
    await this.commands.execute(
      new CreateVolumeCommand(
        {
          ...r,
          volumeId,
          availabilityZone: r.availabilityZone ?? this.options.storage_availability_zone,
          createdAt: this.now(),
        },
        ctx,
      ),
    );
    return { volume: volumeDetail(ctx, this.findVolume(ctx, volumeId), 'answer') };
  }

  private now() {
    return this.clock.now().toISOString();
  }

  private findVolume(ctx: RequestContext, volumeId: string) {
    const volume = this.catalog.getVolume(volumeId, itemScopeOf(ctx));
    if (!volume) throw new VolumeNotFound(volumeId);
    return volume;
  }

  private async listVolumes<V>(ctx: RequestContext, query: Record<string, unknown>, req: Request, view: (v: VolumeRow) => V) {
    authorize(ctx, 'volume:get_all');
    const q = await parseListQuery(query, { maxLimit: this.options.osapi_max_limit, sortKeys: SORT_KEYS });
    const selection = volumeListSelection(ctx, q.filters);
    if (!selection) return listResponse(ctx, { path: req.path, query, list: q }, 'volumes', { rows: [], total: 0 }, view);
    const page = this.catalog.listVolumes({
      filters: selection.filters,
      metadata: selection.metadata,
      sort: q.sort,
      limit: q.limit,
      marker: q.marker,
      offset: q.offset,
      scope: listScopeOf(ctx, q.allTenants),
      withCount: q.withCount,
    });
    return listResponse(ctx, { path: req.path, query, list: q }, 'volumes', page, view);
  }
}
