import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { requestContextOf, type RequestContext } from './request-context';

/** The request's context, set by RequestContextMiddleware. */
export const Ctx = createParamDecorator((_: unknown, host: ExecutionContext): RequestContext => {
  const ctx = requestContextOf(host.switchToHttp().getRequest<Request>());
  if (!ctx) throw new Error('RequestContextMiddleware did not run for this route');
  return ctx;
});
