import type { DynamicModule, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { StrataOptions } from '@strata/config';
import type { Express } from 'express';
import type { Server } from 'node:http';
import { AppModule } from './app.module';
import { buildOpenApiDocument, OpenApiDocumentHolder } from './operations/openapi-builder';
import { JSON_LOGGER } from './tokens';
import { writeLongListsItemByItem } from './shared/json-body';

/** Cinder's default osapi_max_request_body_size: larger bodies are refused with 413. */
const MAX_REQUEST_BODY_BYTES = 114_688;

const LOG_LEVELS: Record<StrataOptions['log_level'], LogLevel[]> = {
  debug: ['debug', 'verbose', 'log', 'warn', 'error', 'fatal'],
  info: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
};

export interface StrataApp {
  readonly app: NestExpressApplication;
  /** Call when shutting down: closes keep-alive connections as soon as they fall idle. */
  readonly drainConnections: () => void;
}

/** The api alone (`apps/api/src/main.ts`): worker processes run the jobs. */
export const createApiApp = (options: StrataOptions): Promise<StrataApp> => createHttpApp(AppModule.forRoot(options), options);

/**
 * An HTTP app around `root` (the api, or the embedded process that adds the worker): JSON logs, Cinder's
 * body limit, the OpenAPI document, keep-alive timeouts and a drain for shutdowns.
 */
export const createHttpApp = async (root: DynamicModule, options: StrataOptions): Promise<StrataApp> => {
  const app = await NestFactory.create<NestExpressApplication>(root, {
    bodyParser: false,
    logger: LOG_LEVELS[options.log_level as StrataOptions['log_level']] ?? LOG_LEVELS.info,
    bufferLogs: true,
  });
  // One JSON object per line (time, level, msg, …), Nest's own messages included.
  app.useLogger(app.get(JSON_LOGGER));
  // `strict: false` so that a JSON `null` body gets Cinder's schema message rather than a parse error.
  app.useBodyParser('json', { limit: MAX_REQUEST_BODY_BYTES, strict: false });
  // No ETag of Express's own on every body: Cinder sends none (only its metadata ETag, set where it is
  // due), and hashing a 1,000-row page cost about 0.5 ms of its 20.
  app.set('etag', false);
  writeLongListsItemByItem(app.getHttpAdapter().getInstance() as Express);
  app.get(OpenApiDocumentHolder).set(buildOpenApiDocument(app));
  const server = app.getHttpServer() as Server;
  // Idle keep-alive connections stay open longer than clients and load balancers keep theirs (Node's
  // 5 s default races with clients that reuse a connection just as the server closes it).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const drainConnections = () => {
    // server.close() closes only the connections idle at that moment; the others as they fall idle.
    server.on('request', (_req, res) => res.setHeader('Connection', 'close'));
    setInterval(() => server.closeIdleConnections(), 50).unref();
  };
  return { app, drainConnections };
};
