import { Inject, Logger, Module, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { CATALOG, type Catalog } from '@strata/catalog';
import { managedPathPolicyOf, STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { EVENT_STORE, type EventStore } from '@strata/event-store';
import { FileVolumeProvider } from '@strata/volumes';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { BackupRepositories } from './backup-repositories';
import { JobPool } from './job-pool';
import { JobDispatcher } from './job-dispatcher';
import { JobLeases } from './leases/job-lease';

export const JOB_DISPATCHER = Symbol('JOB_DISPATCHER');

/**
 * `worker_id`, or one unique to this process: a restarted process is a new worker, so it takes the
 * jobs of its previous life over only once their leases expire (it cannot know that life has ended).
 */
export const workerIdOf = (options: StrataOptions) => options.worker_id || `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;

/** The worker: jobs for backups, restores, deletions and volume provisioning. Loadable into the api process. */
@Module({
  providers: [
    {
      provide: JOB_DISPATCHER,
      inject: [EVENT_STORE, CATALOG, STRATA_OPTIONS],
      useFactory: (store: EventStore, catalog: Catalog, options: StrataOptions) => {
        const now = () => new Date();
        const leaseSeconds = options.worker_lease_seconds;
        return new JobDispatcher({
          store,
          catalog,
          options,
          now,
          repositories: new BackupRepositories(options),
          provider: new FileVolumeProvider(options.volumes_path, { managedPaths: managedPathPolicyOf(options) }),
          leases: new JobLeases({ store, workerId: workerIdOf(options), leaseSeconds, now }),
          sweepIntervalMs: (leaseSeconds * 1000) / 2,
          pool: new JobPool(),
        });
      },
    },
  ],
  exports: [JOB_DISPATCHER],
})
export class WorkerModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(JOB_DISPATCHER) private readonly dispatcher: JobDispatcher) {}

  async onApplicationBootstrap() {
    await this.dispatcher.start();
    new Logger('Worker').log(`worker ${this.dispatcher.workerId} taking jobs`);
  }

  // Before the stores close, so that no job is mid-append when they do.
  beforeApplicationShutdown() {
    return this.dispatcher.stop();
  }
}
