import 'reflect-metadata';
import { Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readConfig, type StrataOptions } from '@strata/config';
import { keepHeapsNearLiveSize, keepSemiSpaceToEventLoop } from '@strata/threads';
import { JOB_DISPATCHER } from './worker.module';
import type { JobDispatcher } from './job-dispatcher';
import { WorkerProcessModule } from './worker-process.module';

const LOG_LEVELS: Record<StrataOptions['log_level'], LogLevel[]> = {
  debug: ['debug', 'verbose', 'log', 'warn', 'error', 'fatal'],
  info: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
};

/**
 * A standalone worker process (`node dist/apps/worker/src/main.js`, `npm run start:worker`): takes
 * jobs from the shared event store beside api processes started with `run_worker = false` and any
 * number of other workers. SIGTERM/SIGINT suspend the running jobs between two objects, release their
 * leases and close the stores; a second signal exits at once.
 */
const main = async () => {
  keepHeapsNearLiveSize();
  keepSemiSpaceToEventLoop();
  const report = readConfig();
  if (report.errors.length > 0) throw report.errors[0];
  const options = report.options!;
  const app = await NestFactory.createApplicationContext(WorkerProcessModule.forRoot(options), {
    logger: LOG_LEVELS[options.log_level as StrataOptions['log_level']] ?? LOG_LEVELS.info,
  });
  const logger = new Logger('StrataWorker');
  for (const warning of report.warnings) logger.warn(warning);
  const dispatcher = app.get<JobDispatcher>(JOB_DISPATCHER);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      logger.log(`${signal}: suspending jobs and shutting down`);
      process.once(signal, () => process.exit(130));
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error(`shutdown failed: ${(error as Error).stack}`);
          process.exit(1);
        },
      );
    });
  logger.log(`worker ${dispatcher.workerId} started (event store ${options.event_store}, lease ${options.worker_lease_seconds} s)`);
};

main().catch((error: unknown) => {
  console.error(`strata-worker: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
