import { Logger } from '@nestjs/common';
import { readConfig, type StrataOptions } from '@strata/config';
import type { StrataApp } from './create-app';
import type { JsonLogger } from './logging/json-logger';
import { JSON_LOGGER } from './tokens';
import { keepHeapsNearLiveSize, keepSemiSpaceToEventLoop } from '@strata/threads';

/**
 * Runs an HTTP process on the options of strata.conf and the environment: invalid options stop it before
 * anything listens; Ctrl-C and SIGTERM close the HTTP server first, then the worker (if loaded) and the
 * stores, so every append that was acknowledged had already committed; a second signal stops at once.
 */
export const serve = (create: (options: StrataOptions) => Promise<StrataApp>): void => {
  const main = async () => {
    keepHeapsNearLiveSize();
    keepSemiSpaceToEventLoop();
    const report = readConfig();
    if (report.errors.length > 0) throw report.errors[0];
    const options = report.options!;
    const { app, drainConnections } = await create(options);
    // Node's own warnings (a deprecation, a listener leak) join the JSON log instead of bare text on stderr.
    const json = app.get<JsonLogger>(JSON_LOGGER);
    process.removeAllListeners('warning');
    process.on('warning', (warning) =>
      json.write('warn', warning.message, { context: 'node', warning: warning.name, stack: warning.stack }),
    );
    await app.listen(options.osapi_volume_listen_port, options.osapi_volume_listen);
    const logger = new Logger('Strata');
    // Every option is honoured or reported: a name Strata does not read is never silently accepted.
    for (const warning of report.warnings) logger.warn(warning);
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => {
        logger.log(`${signal}: shutting down`);
        process.once(signal, () => process.exit(130));
        drainConnections();
        app.close().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error(`shutdown failed: ${(error as Error).stack}`);
            process.exit(1);
          },
        );
      });
    logger.log(
      `listening on http://${options.osapi_volume_listen}:${options.osapi_volume_listen_port} (event store ${options.event_store}, state ${options.state_path})`,
    );
  };
  main().catch((error: unknown) => {
    // A configuration error is the operator's to fix: say what it is, without a stack.
    console.error(`strata: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
};
