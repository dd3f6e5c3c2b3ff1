import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { HttpFault } from '../errors/cinder-fault';

/**
 * `GET /v3/volumes/` asks for a volume whose id is empty, which Cinder answers with 404; Express would
 * route it to the list `/v3/volumes`. Only the version root `/v3/` keeps its slash.
 */
@Injectable()
export class EmptyIdMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    const path = req.originalUrl.split('?')[0]!;
    if (path.startsWith('/v3/') && path.endsWith('/') && path !== '/v3/') throw HttpFault.notFound('The resource could not be found.');
    next();
  }
}
