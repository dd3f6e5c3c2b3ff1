import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';

/**
 * Idle keep-alive connections stay open longer than clients and load balancers keep theirs (Node's
 * default of 5 s races with clients that reuse a connection just as the server closes it).
 * Returns what to call when shutting down: `server.close()` closes only the connections idle at that
 * moment, so those still answering a request are closed as soon as they fall idle.
 */
export const configureHttpServer = (app: INestApplication): (() => void) => {
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return () => {
    server.on('request', (_req, res) => res.setHeader('Connection', 'close'));
    setInterval(() => server.closeIdleConnections(), 50).unref();
  };
};
