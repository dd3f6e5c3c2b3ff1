import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { requestContextOf } from '../context/request-context';
import { JSON_LOGGER } from '../tokens';
import type { JsonLogger } from './json-logger';

/**
 * One line per HTTP request when its response is sent: method, path, status, duration, and the
 * request id and correlation id that the events it appended carry in their metadata.
 */
@Injectable()
export class RequestLogMiddleware implements NestMiddleware {
  constructor(@Inject(JSON_LOGGER) private readonly logger: JsonLogger) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ctx = requestContextOf(req);
      const header = res.getHeader('x-openstack-request-id');
      this.logger.write(res.statusCode >= 500 ? 'error' : 'info', 'request', {
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        durationMs: Number((Number(process.hrtime.bigint() - started) / 1e6).toFixed(3)),
        requestId: ctx?.requestId ?? (typeof header === 'string' ? header : null),
        correlationId: ctx?.correlationId ?? null,
        userId: ctx?.userId ?? null,
        projectId: ctx?.projectId ?? null,
      });
    });
    next();
  }
}
