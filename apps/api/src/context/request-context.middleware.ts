import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AUTHENTICATOR } from '../tokens';
import type { Authenticator } from './authenticator';
import { formatMicroversion, negotiateMicroversion } from './microversion';
import { attachRequestContext, type RequestContext } from './request-context';
import { attachCallerToken } from './caller-token';
import { CinderFaultFilter } from '../errors/cinder-fault.filter';
import { HttpFault } from '../errors/cinder-fault';
import { KeystoneRejection } from './keystone/keystone-rejection';

/** Collections that can follow /v3/ directly; anything else there is a project id. */
const TOP_LEVEL = new Set([
  'backups',
  'volumes',
  'snapshots',
  'os-volume-manage',
  'manageable_volumes',
  'types',
  'limits',
  'os-quota-sets',
  'os-quota-class-sets',
  'extensions',
  'resource_filters',
  'messages',
  'os-services',
  'os-availability-zone',
  'scheduler-stats',
]);

const urlProjectOf = (path: string): string | null => {
  const [, version, segment] = path.split('/');
  return version === 'v3' && segment && !TOP_LEVEL.has(segment) ? decodeURIComponent(segment) : null;
};

const header = (req: Request, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Authenticates, negotiates the microversion and names the request, before any route runs. */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  constructor(@Inject(AUTHENTICATOR) private readonly auth: Authenticator) {}

  use(req: Request, res: Response, next: NextFunction): void {
    // Keystone validation is asynchronous; every failure is answered here, none escapes as a rejection.
    this.handle(req, res).then(
      (ok) => ok && next(),
      (e: unknown) => this.reject(req, res, e),
    );
  }

  /** True when the request may go on; otherwise it has been answered. */
  private async handle(req: Request, res: Response): Promise<boolean> {
    const requestId = `req-${randomUUID()}`;
    res.setHeader('x-openstack-request-id', requestId);
    res.setHeader('x-compute-request-id', requestId);
    try {
      const microversion = negotiateMicroversion(header(req, 'openstack-api-version'), header(req, 'x-openstack-volume-api-version'));
      res.setHeader('OpenStack-API-Version', `volume ${formatMicroversion(microversion)}`);
      res.setHeader('Vary', 'OpenStack-API-Version');
      const identity = await this.auth.authenticate({
        token: header(req, 'x-auth-token'),
        serviceToken: header(req, 'x-service-token'),
        userId: header(req, 'x-user-id'),
        projectId: header(req, 'x-project-id'),
      });
      const urlProjectId = urlProjectOf(req.originalUrl.split('?')[0]);
      const isAdmin = identity.roles.includes('admin');
      // Cinder's wsgi refuses a URL naming another project than the caller's, an admin's too.
      if (urlProjectId && urlProjectId !== identity.projectId) throw HttpFault.badRequest('Malformed request url');
      const inbound = header(req, 'x-openstack-request-id');
      const ctx: RequestContext = {
        requestId,
        correlationId: inbound && /^req-[0-9a-f-]{36}$/.test(inbound) ? inbound : requestId,
        ...identity,
        isAdmin,
        microversion,
        urlProjectId,
        baseUrl: `${req.protocol}://${req.headers.host ?? 'localhost'}`,
        strataAttributes: new Set(
          (header(req, 'x-strata-attributes') ?? '')
            .split(',')
            .map((a) => a.trim().toLowerCase())
            .filter(Boolean),
        ),
      };
      attachRequestContext(req, ctx);
      const token = header(req, 'x-auth-token')?.trim();
      if (token) attachCallerToken(ctx, token);
      return true;
    } catch (e) {
      this.reject(req, res, e);
      return false;
    }
  }

  private reject(req: Request, res: Response, e: unknown): void {
    if (e instanceof KeystoneRejection) {
      res.status(e.status).set(e.headers).json(e.body);
      return;
    }
    // HttpFault as Cinder's fault body; anything else as the filter's 500, its stack only in the log.
    new CinderFaultFilter().catch(e, { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as never);
  }
}
