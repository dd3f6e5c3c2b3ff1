import { Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CATALOG, type Catalog } from '@strata/catalog';
import { VolumeMetadataNotFound, VolumeNotFound } from '@strata/domain';
import type { Response } from 'express';
import { Ctx } from '../context/ctx.decorator';
import { atLeast } from '../context/microversion';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { HttpFault, PreconditionFailed } from '../errors/cinder-fault';
import { ApiDoc } from '../operations/api-doc';
import { Commands } from '../shared/commands';
import { itemScopeOf } from '../shared/scope';
import { CLOCK, type Clock } from '../tokens';
import { CinderBody } from '../validation/cinder-body';
import { ChangeVolumeCommand } from './commands/change-volume.handler';
import { ifMatchAdmits, metadataEtag } from './volume-metadata-etag';
import { VolumeMetadataBody, VolumeMetaItemBody } from './volume-metadata-requests.dto';

/**
 * A volume's user metadata (cinder/api/v2/volume_metadata.py, v3 with ETags from 3.15): list, merge
 * (POST), replace (PUT), show, set and delete one key. Each change is one decision on the volume's stream,
 * recorded as the volume's whole metadata after it (`VolumeUpdated`). The admin metadata Cinder's views
 * show among the metadata (`readonly`, `attached_mode`) is not part of it, as in Cinder.
 */
@ApiTags('Volumes')
@Controller(['v3/volumes/:volumeId/metadata', 'v3/:projectId/volumes/:volumeId/metadata'])
export class VolumeMetadataController {
  constructor(
    private readonly commands: Commands,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiDoc("A volume's metadata (an ETag header from 3.15)", { 200: 'VolumeMetadata', 404: 'Fault' })
  index(@Ctx() ctx: RequestContext, @Param('volumeId') volumeId: string, @Res({ passthrough: true }) res: Response) {
    const metadata = this.metadataOf(ctx, volumeId);
    if (atLeast(ctx.microversion, '3.15')) res.setHeader('Etag', metadataEtag(metadata));
    return { metadata };
  }

  @Post()
  @ApiDoc('Add or change items; answers the whole metadata', { 200: 'VolumeMetadata', 400: 'Fault', 404: 'Fault' })
  @HttpCode(200)
  async create(@Ctx() ctx: RequestContext, @Param('volumeId') volumeId: string, @CinderBody(VolumeMetadataBody) body: VolumeMetadataBody) {
    return { metadata: await this.set(ctx, volumeId, body.metadata, false, 'volume:create_volume_metadata') };
  }

  @Put()
  @ApiDoc('Replace the whole metadata (If-Match from 3.15: 412 when it changed)', {
    200: 'VolumeMetadata',
    400: 'Fault',
    404: 'Fault',
    412: null,
  })
  async updateAll(
    @Ctx() ctx: RequestContext,
    @Param('volumeId') volumeId: string,
    @CinderBody(VolumeMetadataBody) body: VolumeMetadataBody,
    @Headers('if-match') ifMatch: string | undefined,
  ) {
    this.checkEtag(ctx, volumeId, ifMatch);
    return { metadata: await this.set(ctx, volumeId, body.metadata, true, 'volume:update_volume_metadata') };
  }

  @Get(':key')
  @ApiDoc('One metadata item', { 200: 'VolumeMetaItem', 404: 'Fault' })
  show(@Ctx() ctx: RequestContext, @Param('volumeId') volumeId: string, @Param('key') key: string) {
    const metadata = this.metadataOf(ctx, volumeId);
    if (!Object.prototype.hasOwnProperty.call(metadata, key)) throw new VolumeMetadataNotFound(volumeId, key);
    return { meta: { [key]: metadata[key] } };
  }

  @Put(':key')
  @ApiDoc('Set one item: {"meta": {"<key>": "<value>"}} (If-Match from 3.15)', {
    200: 'VolumeMetaItem',
    400: 'Fault',
    404: 'Fault',
    412: null,
  })
  async update(
    @Ctx() ctx: RequestContext,
    @Param('volumeId') volumeId: string,
    @Param('key') key: string,
    @CinderBody(VolumeMetaItemBody) body: VolumeMetaItemBody,
    @Headers('if-match') ifMatch: string | undefined,
  ) {
    this.checkEtag(ctx, volumeId, ifMatch);
    if (!Object.prototype.hasOwnProperty.call(body.meta, key)) throw HttpFault.badRequest('Request body and URI mismatch');
    await this.set(ctx, volumeId, body.meta, false, 'volume:update_volume_metadata');
    return { meta: body.meta };
  }

  @Delete(':key')
  @ApiDoc('Delete one item (200, no body)', { 200: null, 404: 'Fault' })
  @HttpCode(200)
  async remove(@Ctx() ctx: RequestContext, @Param('volumeId') volumeId: string, @Param('key') key: string): Promise<void> {
    const volume = this.volumeOf(ctx, volumeId);
    authorize(ctx, 'volume:get_volume_metadata');
    if (!Object.prototype.hasOwnProperty.call(volume.metadata, key)) throw new VolumeMetadataNotFound(volumeId, key);
    authorize(ctx, 'volume:delete_volume_metadata');
    const now = this.clock.now().toISOString();
    await this.commands.execute(new ChangeVolumeCommand({ type: 'DeleteVolumeMetadataKey', data: { volumeId: volume.id, key, now } }, ctx));
  }

  private volumeOf(ctx: RequestContext, volumeId: string) {
    const volume = this.catalog.getVolume(volumeId, itemScopeOf(ctx));
    if (!volume) throw new VolumeNotFound(volumeId);
    return volume;
  }

  private metadataOf(ctx: RequestContext, volumeId: string): Record<string, string> {
    const volume = this.volumeOf(ctx, volumeId);
    authorize(ctx, 'volume:get_volume_metadata');
    return volume.metadata;
  }

  /** Cinder answers 412 with no body when If-Match names another version of the metadata (3.15). */
  private checkEtag(ctx: RequestContext, volumeId: string, ifMatch: string | undefined) {
    if (!atLeast(ctx.microversion, '3.15') || ifMatchAdmits(ifMatch, '')) return;
    if (!ifMatchAdmits(ifMatch, metadataEtag(this.metadataOf(ctx, volumeId)))) throw new PreconditionFailed();
  }

  private async set(
    ctx: RequestContext,
    volumeId: string,
    metadata: Record<string, string>,
    replace: boolean,
    rule: 'volume:create_volume_metadata' | 'volume:update_volume_metadata',
  ): Promise<Record<string, string>> {
    const volume = this.volumeOf(ctx, volumeId);
    authorize(ctx, rule);
    const now = this.clock.now().toISOString();
    const appended = await this.commands.execute(
      new ChangeVolumeCommand({ type: 'SetVolumeMetadata', data: { volumeId: volume.id, metadata, replace, now } }, ctx),
    );
    return this.volumeOf(ctx, appended.id).metadata;
  }
}
