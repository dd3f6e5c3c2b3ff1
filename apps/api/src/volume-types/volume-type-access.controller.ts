import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { CATALOG, type Catalog } from '@strata/catalog';
import { VolumeTypeAccessNotFound } from '@strata/domain';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';
import { ApiDoc } from '../operations/api-doc';
import { CLOCK, type Clock } from '../tokens';
import { actionOf } from '../validation/action-body';
import { validateBody } from '../validation/cinder-body';
import { ChangeVolumeTypeCommand } from './commands/change-volume-type.handler';
import { VolumeTypeLookup } from './volume-type-lookup';
import { ADD_PROJECT_ACCESS_BODY, REMOVE_PROJECT_ACCESS_BODY, VolumeTypeProjectAccess } from './volume-type-requests.dto';
import { Commands } from '../shared/commands';

/**
 * Private types' access lists (volume_type_access.py): which projects besides admins may see and use a
 * private type. Admins only.
 */
@ApiTags('Volume types')
@Controller(['v3/types/:typeId', 'v3/:projectId/types/:typeId'])
export class VolumeTypeAccessController {
  constructor(
    private readonly commands: Commands,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly types: VolumeTypeLookup,
  ) {}

  @Get('os-volume-type-access')
  @ApiDoc("List the projects on a private type's access list (admin)", { 200: 'VolumeTypeAccessList', 403: 'Fault', 404: 'Fault' })
  list(@Ctx() ctx: RequestContext, @Param('typeId') typeId: string) {
    authorize(ctx, 'volume_extension:volume_type_access:get_all_for_type');
    const type = this.types.byId(ctx, typeId);
    if (type.isPublic) throw new VolumeTypeAccessNotFound(type.id, ctx.projectId, 'Access list not available for public volume types.');
    return {
      volume_type_access: this.catalog.volumeTypeProjects(type.id).map((project) => ({ volume_type_id: type.id, project_id: project })),
    };
  }

  @Post('action')
  @ApiDoc('Volume type actions: addProjectAccess, removeProjectAccess (admin)', {
    202: null,
    400: 'Fault',
    403: 'Fault',
    404: 'Fault',
    409: 'Fault',
  })
  @ApiBody({
    type: VolumeTypeProjectAccess,
    description: '{"addProjectAccess": {"project": ID}} or {"removeProjectAccess": {"project": ID}}',
  })
  @HttpCode(202)
  async act(@Ctx() ctx: RequestContext, @Param('typeId') typeId: string, @Body() body: unknown): Promise<void> {
    const action = actionOf(body);
    const now = this.clock.now().toISOString();
    let projectId: string;
    let type: 'AddVolumeTypeAccess' | 'RemoveVolumeTypeAccess';
    if (action === 'addProjectAccess') {
      projectId = (await validateBody(ADD_PROJECT_ACCESS_BODY, body)).addProjectAccess.project;
      authorize(ctx, 'volume_extension:volume_type_access:addProjectAccess');
      type = 'AddVolumeTypeAccess';
    } else if (action === 'removeProjectAccess') {
      projectId = (await validateBody(REMOVE_PROJECT_ACCESS_BODY, body)).removeProjectAccess.project;
      authorize(ctx, 'volume_extension:volume_type_access:removeProjectAccess');
      type = 'RemoveVolumeTypeAccess';
    } else throw HttpFault.badRequest(`There is no such action: ${action}`);
    // The project id is kept as given: Keystone's are 32 hex digits, compared as the token carries them.
    await this.commands.execute(new ChangeVolumeTypeCommand({ type, data: { volumeTypeId: typeId, projectId, now } }, ctx));
  }
}
