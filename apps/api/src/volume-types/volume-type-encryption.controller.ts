import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CATALOG, type Catalog } from '@strata/catalog';
import { VolumeTypeEncryptionNotFound } from '@strata/domain';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { ApiDoc } from '../operations/api-doc';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../tokens';
import { CinderBody } from '../validation/cinder-body';
import { ChangeVolumeTypeCommand } from './commands/change-volume-type.handler';
import { VolumeTypeLookup } from './volume-type-lookup';
import { encryptionView } from './volume-type.presenter';
import {
  encryptionEcho,
  encryptionRequest,
  VOLUME_TYPE_ENCRYPTION_CREATE_BODY,
  VOLUME_TYPE_ENCRYPTION_UPDATE_BODY,
  type VolumeTypeEncryptionCreate,
  type VolumeTypeEncryptionUpdate,
} from './volume-type-requests.dto';
import { Commands } from '../shared/commands';

/**
 * A type's encryption specs (volume_type_encryption.py), admins only. `{encryption_id}` in the paths of
 * update and delete is not read (a type has one set of specs), and in show it names one field of them,
 * as in Cinder.
 */
@ApiTags('Volume types')
@Controller(['v3/types/:typeId/encryption', 'v3/:projectId/types/:typeId/encryption'])
export class VolumeTypeEncryptionController {
  constructor(
    private readonly commands: Commands,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly types: VolumeTypeLookup,
  ) {}

  @Get()
  @ApiDoc("Show a type's encryption specs ({} when it has none; admin)", { 200: 'VolumeTypeEncryption', 403: 'Fault', 404: 'Fault' })
  index(@Ctx() ctx: RequestContext, @Param('typeId') typeId: string) {
    authorize(ctx, 'volume_extension:volume_type_encryption:get');
    return this.specsOf(ctx, typeId) ?? {};
  }

  @Post()
  @ApiDoc('Create encryption specs (admin; refused while a volume uses the type)', {
    200: 'VolumeTypeEncryptionEnvelope',
    400: 'Fault',
    403: 'Fault',
    404: 'Fault',
  })
  @HttpCode(200)
  async create(
    @Ctx() ctx: RequestContext,
    @Param('typeId') typeId: string,
    @CinderBody(VOLUME_TYPE_ENCRYPTION_CREATE_BODY) body: { encryption: VolumeTypeEncryptionCreate },
  ) {
    authorize(ctx, 'volume_extension:volume_type_encryption:create');
    const { provider, controlLocation, cipher = null, keySize = null } = encryptionRequest(body.encryption);
    const encryptionId = this.ids.newId();
    const appended = await this.commands.execute(
      new ChangeVolumeTypeCommand(
        {
          type: 'CreateVolumeTypeEncryption',
          data: {
            volumeTypeId: typeId,
            encryptionId,
            provider: provider!,
            controlLocation: controlLocation!,
            cipher,
            keySize,
            now: this.now(),
          },
        },
        ctx,
      ),
    );
    // Cinder's database adds the type and the new id to the very dict it then answers with.
    return { encryption: { ...encryptionEcho(body.encryption), volume_type_id: appended.id, encryption_id: encryptionId } };
  }

  @Get(':encryptionId')
  @ApiDoc('Show one field of the encryption specs, named in the path (admin)', {
    200: 'VolumeTypeEncryptionField',
    403: 'Fault',
    404: 'Fault',
  })
  show(@Ctx() ctx: RequestContext, @Param('typeId') typeId: string, @Param('encryptionId') field: string) {
    authorize(ctx, 'volume_extension:volume_type_encryption:get');
    const specs = this.specsOf(ctx, typeId);
    if (!specs || !Object.prototype.hasOwnProperty.call(specs, field)) throw new VolumeTypeEncryptionNotFound(typeId);
    return { [field]: specs[field] };
  }

  @Put(':encryptionId')
  @ApiDoc('Update encryption specs (admin; refused while a volume uses the type)', {
    200: 'VolumeTypeEncryptionEnvelope',
    400: 'Fault',
    403: 'Fault',
    404: 'Fault',
  })
  async update(
    @Ctx() ctx: RequestContext,
    @Param('typeId') typeId: string,
    @CinderBody(VOLUME_TYPE_ENCRYPTION_UPDATE_BODY) body: { encryption: VolumeTypeEncryptionUpdate },
  ) {
    authorize(ctx, 'volume_extension:volume_type_encryption:update');
    await this.commands.execute(
      new ChangeVolumeTypeCommand(
        {
          type: 'UpdateVolumeTypeEncryption',
          data: { volumeTypeId: typeId, ...encryptionRequest(body.encryption), now: this.now() },
        },
        ctx,
      ),
    );
    return { encryption: encryptionEcho(body.encryption) };
  }

  @Delete(':encryptionId')
  @ApiDoc('Delete encryption specs (admin; refused while a volume uses the type)', { 202: null, 400: 'Fault', 403: 'Fault', 404: 'Fault' })
  @HttpCode(202)
  async remove(@Ctx() ctx: RequestContext, @Param('typeId') typeId: string): Promise<void> {
    authorize(ctx, 'volume_extension:volume_type_encryption:delete');
    await this.commands.execute(
      new ChangeVolumeTypeCommand(
        {
          type: 'DeleteVolumeTypeEncryption',
          data: { volumeTypeId: typeId, now: this.now() },
        },
        ctx,
      ),
    );
  }

  /** The specs as Cinder's database row shows them, null when the type has none; the type must exist. */
  private specsOf(ctx: RequestContext, typeId: string): Record<string, unknown> | null {
    const encryption = this.catalog.volumeTypeEncryption(this.types.byId(ctx, typeId).id);
    return encryption ? encryptionView(encryption) : null;
  }

  private now() {
    return this.clock.now().toISOString();
  }
}
