import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { CatalogBuildStopped, CatalogWaitTimeout, InvalidSortKey, MarkerNotFound, UnknownFilter } from '@strata/catalog';
import { DomainError } from '@strata/domain';
import { WrongExpectedVersion } from '@strata/event-store';
import type { Request, Response } from 'express';
import { faultBody, HttpFault, PreconditionFailed } from './cinder-fault';
import { requestContextOf } from '../context/request-context';

/** body-parser's errors arrive before any route: a body too large, or not JSON. */
const describeBodyParserError = (error: unknown): { status: number; message: string } | null => {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return { status: 413, message: 'Request is too large.' };
  if (type === 'entity.parse.failed') return { status: 400, message: 'Malformed request body' };
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return { status: 415, message: 'Unsupported Content-Type' };
  return null;
};

const STATUS_OF_KIND = { invalid: 400, forbidden: 403, not_found: 404, conflict: 409, over_limit: 413 } as const;

/**
 * Every error leaves as a Cinder fault body. Domain refusals carry their own text; anything unexpected
 * is a 500 with a generic message and the request id, the stack only in the log.
 */
@Catch()
export class CinderFaultFilter implements ExceptionFilter {
  private readonly logger = new Logger('CinderFault');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (error instanceof PreconditionFailed) {
      res.status(412).end();
      return;
    }
    const { status, message } = this.describe(error, req);
    // Cinder's QuotaError carries `Retry-After: 0` with its 413.
    if (error instanceof DomainError && error.kind === 'over_limit') res.setHeader('Retry-After', '0');
    res.status(status).json(faultBody(status, message));
  }

  private describe(error: unknown, req: Request): { status: number; message: string } {
    if (error instanceof HttpFault) return { status: error.status, message: error.message };
    if (error instanceof DomainError) return { status: STATUS_OF_KIND[error.kind], message: error.message };
    if (error instanceof MarkerNotFound) return { status: 404, message: error.message };
    if (error instanceof InvalidSortKey || error instanceof UnknownFilter) return { status: 400, message: error.message };
    // The write is recorded; only the read model is behind. Say so rather than hide it in a 500.
    if (error instanceof CatalogWaitTimeout)
      return { status: 503, message: 'The request was recorded, but the catalog is catching up; retry the read shortly.' };
    if (error instanceof CatalogBuildStopped) return { status: 503, message: error.message };
    if (error instanceof WrongExpectedVersion)
      return { status: 409, message: 'The resource was changed by another request at the same time; please retry.' };
    const bodyError = describeBodyParserError(error) ?? describeBodyParserError((error as { cause?: unknown } | null)?.cause);
    if (bodyError) return bodyError;
    if (error instanceof HttpException) return this.describeHttpException(error);
    const requestId = requestContextOf(req)?.requestId ?? 'unknown';
    this.logger.error(`request ${requestId} failed: ${error instanceof Error ? error.stack : String(error)}`);
    return {
      status: 500,
      message: `The server has either erred or is incapable of performing the requested operation. (Request-ID: ${requestId})`,
    };
  }

  private describeHttpException(error: HttpException) {
    const status = error.getStatus();
    // Express's JSON parser reports malformed bodies as 400 SyntaxError wrapped by Nest.
    const response = error.getResponse();
    const text = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    const message =
      status === 404 ? 'The resource could not be found.' : Array.isArray(text) ? text.join('; ') : String(text ?? error.message);
    return { status, message };
  }
}
