import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { CATALOG, type Catalog } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { type QuotaLimits } from '@strata/domain';
import { quotaDefaultsFrom } from '@strata/workflows';
import { Ctx } from '../context/ctx.decorator';
import { atLeast } from '../context/microversion';
import { authorize, isAllowed } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';
import { ApiDoc } from '../operations/api-doc';
import { Commands } from '../shared/commands';
import { QuotaClaims } from '../shared/quota-claims';
import { CLOCK, type Clock } from '../tokens';
import { ChangeQuotaCommand } from './commands/change-quota.handler';
import { quotaClassSetBody, quotaSetBody, usageParam } from './quota-bodies';
import { limitsView, quotaSetView, quotaUsageView } from './quota.presenter';

const QUOTA_SET_BODY = { schema: { type: 'object', properties: { quota_set: { type: 'object' } }, required: ['quota_set'] } };
const QUOTA_CLASS_SET_BODY = {
  schema: { type: 'object', properties: { quota_class_set: { type: 'object' } }, required: ['quota_class_set'] },
};

/** Cinder's `validate_string_length(id, name, 1, 255)` on the id in the path of an update. */
const checkNameLength = (value: string, name: string) => {
  if (value.length > 255) throw HttpFault.badRequest(`Invalid input received: ${name} has ${value.length} characters, more than 255.`);
};

/**
 * Cinder's quota routes (`os-quota-sets`, `os-quota-class-sets`, `/limits`). Limits and usage are read
 * from the catalog; a change is decided on the project's quota stream, where every claim is decided.
 */
@ApiTags('Quotas')
@Controller(['v3', 'v3/:projectId'])
export class QuotasController {
  constructor(
    private readonly commands: Commands,
    private readonly quota: QuotaClaims,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
  ) {}

  /** A project's limits: its own where it has them, else the defaults. */
  private limitsOf(projectId: string): QuotaLimits {
    return { ...this.quota.defaults(), ...this.catalog.projectQuotaLimits(projectId) };
  }

  /** `SYSTEM_READER_OR_PROJECT_READER` with the target project: a project reader sees its own project's quota only. */
  private authorizeShow(ctx: RequestContext, target: string) {
    authorize(ctx, 'volume_extension:quotas:show');
    if (!ctx.isAdmin && target !== ctx.projectId) throw HttpFault.forbidden('volume_extension:quotas:show');
  }

  @Get('os-quota-sets/:target/defaults')
  @ApiDoc("Show the default quotas a project gets (the `default` quota class over strata.conf's quota_*)", {
    200: 'QuotaSet',
    403: 'Fault',
  })
  defaults(@Ctx() ctx: RequestContext, @Param('target') target: string) {
    this.authorizeShow(ctx, target);
    return { quota_set: quotaSetView(this.quota.defaults(), target) };
  }

  @Get('os-quota-sets/:target')
  @ApiDoc("Show a project's quotas; `?usage=true` adds in_use, reserved and allocated per resource", {
    200: 'QuotaSetUsage',
    400: 'Fault',
    403: 'Fault',
  })
  show(@Ctx() ctx: RequestContext, @Param('target') target: string, @Query('usage') usage: unknown) {
    this.authorizeShow(ctx, target);
    const withUsage = usageParam(usage);
    const limits = this.limitsOf(target);
    return {
      quota_set: withUsage ? quotaUsageView(limits, this.catalog.projectQuotaUsage(target), target) : quotaSetView(limits, target),
    };
  }

  @Put('os-quota-sets/:target')
  @ApiDoc("Set a project's quotas (admin); a limit below what is in use and reserved is refused", {
    200: 'QuotaSet',
    400: 'Fault',
    403: 'Fault',
  })
  @ApiBody(QUOTA_SET_BODY)
  async update(@Ctx() ctx: RequestContext, @Param('target') target: string, @Body() raw: unknown) {
    authorize(ctx, 'volume_extension:quotas:update');
    const limits = quotaSetBody(raw);
    checkNameLength(target, 'quota_set_name');
    if (Object.keys(limits).length > 0)
      await this.commands.execute(
        new ChangeQuotaCommand(
          { type: 'UpdateQuotaLimits', data: { projectId: target, limits, now: this.clock.now().toISOString() } },
          ctx,
        ),
      );
    return { quota_set: quotaSetView(this.limitsOf(target)) };
  }

  @Delete('os-quota-sets/:target')
  @ApiDoc("Remove a project's own quotas (admin): the defaults apply again", { 200: null, 403: 'Fault' })
  @HttpCode(200)
  async reset(@Ctx() ctx: RequestContext, @Param('target') target: string): Promise<void> {
    authorize(ctx, 'volume_extension:quotas:delete');
    await this.commands.execute(
      new ChangeQuotaCommand({ type: 'ResetQuotaLimits', data: { projectId: target, now: this.clock.now().toISOString() } }, ctx),
    );
  }

  /** A class's limits over strata.conf's; `default`'s are the defaults every project gets. */
  private classLimits(className: string): QuotaLimits {
    return quotaDefaultsFrom(this.options, this.catalog.quotaClassLimits(className));
  }

  @Get('os-quota-class-sets/:className')
  @ApiDoc('Show a quota class (admin); `default` holds the defaults', { 200: 'QuotaClassSet', 403: 'Fault' })
  showClass(@Ctx() ctx: RequestContext, @Param('className') className: string) {
    authorize(ctx, 'volume_extension:quota_classes:get');
    return { quota_class_set: quotaSetView(this.classLimits(className), className) };
  }

  @Put('os-quota-class-sets/:className')
  @ApiDoc("Set a quota class's limits (admin); `default`'s apply to every project without its own", {
    200: 'QuotaClassSet',
    400: 'Fault',
    403: 'Fault',
  })
  @ApiBody(QUOTA_CLASS_SET_BODY)
  async updateClass(@Ctx() ctx: RequestContext, @Param('className') className: string, @Body() raw: unknown) {
    authorize(ctx, 'volume_extension:quota_classes:update');
    checkNameLength(className, 'quota_class_name');
    const limits = quotaClassSetBody(raw);
    if (Object.keys(limits).length > 0)
      await this.commands.execute(
        new ChangeQuotaCommand({ type: 'UpdateQuotaClassLimits', data: { className, limits, now: this.clock.now().toISOString() } }, ctx),
      );
    return { quota_class_set: quotaSetView(this.classLimits(className)) };
  }

  @Get('limits')
  @ApiDoc('Absolute limits of the project with the totals in use (an admin names another project with project_id, ≥3.39)', {
    200: 'Limits',
  })
  limits(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    // As Cinder: project_id (or tenant_id) only counts for an admin from 3.39 on, and is otherwise not looked at.
    const named = ctx.isAdmin && atLeast(ctx.microversion, '3.39') ? (query.project_id ?? query.tenant_id) : undefined;
    const projectId = typeof named === 'string' && named !== '' ? named : ctx.projectId;
    const usage = isAllowed(ctx, 'limits_extension:used_limits') ? this.catalog.projectQuotaUsage(projectId) : null;
    return limitsView(this.limitsOf(projectId), usage);
  }
}
