import { Body, Controller, Get, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';
import { ApiDoc } from '../operations/api-doc';
import { Commands } from '../shared/commands';
import { CLOCK, type Clock } from '../tokens';
import { validateBody } from '../validation/cinder-body';
import { ChangeServiceCommand } from './commands/change-service.handler';
import { presentService } from './service.presenter';
import { ServiceDirectory } from './service-directory';
import { ServiceDisableLogReason, ServiceEnableDisable } from './service-requests.dto';

/** webob's `req.GET[key]`: the last value of a repeated parameter. */
const lastOf = (value: unknown): string | undefined =>
  Array.isArray(value) ? (value.at(-1) as string | undefined) : typeof value === 'string' ? value : undefined;

/**
 * `GET /os-services` and `PUT /os-services/{action}` (cinder/api/contrib/services.py), admin only. The
 * services are the api's `cinder-volume` and each worker's `cinder-backup`, registered in the log; their
 * state is judged from their last heartbeat.
 */
@ApiTags('Services')
@Controller(['v3/os-services', 'v3/:projectId/os-services'])
export class ServicesController {
  constructor(
    private readonly commands: Commands,
    private readonly directory: ServiceDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiDoc('The services, with state up/down from their last heartbeat (filters host, binary; admin)', {
    200: 'ServiceList',
    403: 'Fault',
  })
  async list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    authorize(ctx, 'volume_extension:services:index');
    const host = lastOf(query.host);
    const binary = lastOf(query.binary);
    const services = await this.directory.list(this.clock.now(), {
      ...(host === undefined ? {} : { host }),
      ...(binary === undefined ? {} : { binary }),
    });
    return { services: services.map((s) => presentService(s, ctx.microversion)) };
  }

  @Put(':action')
  @ApiDoc('enable, disable or disable-log-reason a service {"host", "binary", "disabled_reason"} (admin)', {
    200: 'ServiceUpdate',
    400: 'Fault',
    403: 'Fault',
    404: 'Fault',
  })
  async update(@Ctx() ctx: RequestContext, @Param('action') action: string, @Body() body: unknown) {
    authorize(ctx, 'volume_extension:services:update');
    if (action !== 'enable' && action !== 'disable' && action !== 'disable-log-reason')
      throw HttpFault.badRequest('Invalid input received: Unknown action');
    const withReason = action === 'disable-log-reason';
    const b = withReason ? await validateBody(ServiceDisableLogReason, body) : await validateBody(ServiceEnableDisable, body);
    // common.get_cluster_host(req, body, False): the host is required, the cluster never taken.
    if (!b.host) throw HttpFault.badRequest('Invalid input received: Host field is missing.');
    const service = b.service ?? '';
    const binary = b.binary ?? '';
    const reason = withReason ? ((b as ServiceDisableLogReason).disabled_reason ?? null) : undefined;
    await this.commands.execute(
      new ChangeServiceCommand(
        {
          action: action === 'enable' ? 'enable' : 'disable',
          host: b.host,
          binary: binary || service,
          ...(reason === undefined ? {} : { reason }),
          now: this.clock.now().toISOString(),
        },
        ctx,
      ),
    );
    return {
      ...(withReason ? { disabled_reason: reason } : {}),
      disabled: action !== 'enable',
      host: b.host,
      service,
      binary,
      status: action === 'enable' ? 'enabled' : 'disabled',
    };
  }
}
