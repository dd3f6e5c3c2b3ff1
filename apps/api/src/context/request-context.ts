import type { Request } from 'express';
import type { Microversion } from './microversion';

/** Who is calling, from which request, at which microversion: read once at the edge. */
export interface RequestContext {
  readonly requestId: string;
  /** The caller's global request id when it sent one, else this request's id. */
  readonly correlationId: string;
  readonly userId: string;
  readonly projectId: string;
  readonly roles: readonly string[];
  readonly isAdmin: boolean;
  readonly microversion: Microversion;
  /** The project segment of the URL, when the route had one: it goes into links. */
  readonly urlProjectId: string | null;
  /** scheme://host:port of the request, for links. */
  readonly baseUrl: string;
  /** Strata's own attributes the caller asked to see in Cinder's views (`X-Strata-Attributes: verification`). */
  readonly strataAttributes: ReadonlySet<string>;
}

const CONTEXT = Symbol('strata.requestContext');

export const attachRequestContext = (req: Request, ctx: RequestContext) => {
  (req as unknown as Record<symbol, RequestContext>)[CONTEXT] = ctx;
};

export const requestContextOf = (req: Request): RequestContext | undefined =>
  (req as unknown as Record<symbol, RequestContext | undefined>)[CONTEXT];
