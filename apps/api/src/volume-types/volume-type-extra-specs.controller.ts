import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { VolumeTypeExtraSpecsNotFound, type ExtraSpecs } from '@strata/domain';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { ApiDoc } from '../operations/api-doc';
import { CLOCK, type Clock } from '../tokens';
import { CinderBody } from '../validation/cinder-body';
import { ChangeVolumeTypeCommand } from './commands/change-volume-type.handler';
import { VolumeTypeLookup } from './volume-type-lookup';
import { visibleExtraSpecs } from './volume-type.presenter';
import { assertSpecOfPath, EXTRA_SPEC_UPDATE_SCHEMA, extraSpecUpdateBody, VolumeTypeExtraSpecsCreate } from './volume-type-requests.dto';
import { Commands } from '../shared/commands';

/**
 * A type's extra specs (types_extra_specs.py): read by project readers (the sensitive ones by admins
 * only), changed by admins while no volume uses the type. Create and update answer with the body sent.
 */
@ApiTags('Volume types')
@Controller(['v3/types/:typeId/extra_specs', 'v3/:projectId/types/:typeId/extra_specs'])
export class VolumeTypeExtraSpecsController {
  constructor(
    private readonly commands: Commands,

    @Inject(CLOCK) private readonly clock: Clock,
    private readonly types: VolumeTypeLookup,
  ) {}

  @Get()
  @ApiDoc("List a type's extra specs", { 200: 'ExtraSpecsEnvelope', 404: 'Fault' })
  index(@Ctx() ctx: RequestContext, @Param('typeId') typeId: string) {
    authorize(ctx, 'volume_extension:types_extra_specs:index');
    return { extra_specs: visibleExtraSpecs(ctx, this.types.byId(ctx, typeId).extraSpecs) };
  }

  @Post()
  @ApiDoc('Set extra specs (admin; refused while a volume uses the type)', {
    200: 'ExtraSpecsEnvelope',
    400: 'Fault',
    403: 'Fault',
    404: 'Fault',
  })
  @HttpCode(200)
  async create(
    @Ctx() ctx: RequestContext,
    @Param('typeId') typeId: string,
    @CinderBody(VolumeTypeExtraSpecsCreate) body: { extra_specs: ExtraSpecs },
  ) {
    authorize(ctx, 'volume_extension:types_extra_specs:create');
    await this.set(ctx, typeId, body.extra_specs);
    return { extra_specs: body.extra_specs };
  }

  @Get(':key')
  @ApiDoc('Show one extra spec', { 200: 'ExtraSpec', 404: 'Fault' })
  show(@Ctx() ctx: RequestContext, @Param('typeId') typeId: string, @Param('key') key: string) {
    authorize(ctx, 'volume_extension:types_extra_specs:show');
    const type = this.types.byId(ctx, typeId);
    const specs = visibleExtraSpecs(ctx, type.extraSpecs);
    if (!Object.prototype.hasOwnProperty.call(specs, key)) throw new VolumeTypeExtraSpecsNotFound(typeId, key);
    return { [key]: specs[key] };
  }

  @Put(':key')
  @ApiDoc('Set one extra spec: the body is {"<key>": value} (admin)', { 200: 'ExtraSpec', 400: 'Fault', 403: 'Fault', 404: 'Fault' })
  @ApiBody({ schema: EXTRA_SPEC_UPDATE_SCHEMA })
  async update(@Ctx() ctx: RequestContext, @Param('typeId') typeId: string, @Param('key') key: string, @Body() raw: unknown) {
    const spec = extraSpecUpdateBody(raw);
    authorize(ctx, 'volume_extension:types_extra_specs:update');
    this.types.byId(ctx, typeId);
    assertSpecOfPath(spec, key);
    await this.set(ctx, typeId, spec);
    return spec;
  }

  @Delete(':key')
  @ApiDoc('Unset one extra spec (admin)', { 202: null, 400: 'Fault', 403: 'Fault', 404: 'Fault' })
  @HttpCode(202)
  async remove(@Ctx() ctx: RequestContext, @Param('typeId') typeId: string, @Param('key') key: string): Promise<void> {
    // Cinder looks the type up before it asks the policy.
    this.types.byId(ctx, typeId);
    authorize(ctx, 'volume_extension:types_extra_specs:delete');
    await this.commands.execute(
      new ChangeVolumeTypeCommand(
        {
          type: 'UnsetVolumeTypeExtraSpec',
          data: { volumeTypeId: typeId, key, now: this.clock.now().toISOString() },
        },
        ctx,
      ),
    );
  }

  private async set(ctx: RequestContext, typeId: string, extraSpecs: ExtraSpecs) {
    await this.commands.execute(
      new ChangeVolumeTypeCommand(
        {
          type: 'SetVolumeTypeExtraSpecs',
          data: { volumeTypeId: typeId, extraSpecs, now: this.clock.now().toISOString() },
        },
        ctx,
      ),
    );
  }
}
