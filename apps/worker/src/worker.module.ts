import { Inject, Module, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { CATALOG, type Catalog } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { EVENT_STORE, type EventStore } from '@strata/event-store';
import { FileVolumeProvider } from '@strata/volumes';
import { BackupRepositories } from './backup-repositories';
import { JobDispatcher } from './job-dispatcher';

export const JOB_DISPATCHER = Symbol('JOB_DISPATCHER');

/** The worker: jobs for backups, restores, deletions and volume provisioning. Loadable into the api process. */
@Module({
  providers: [{
    provide: JOB_DISPATCHER,
    inject: [EVENT_STORE, CATALOG, STRATA_OPTIONS],
    useFactory: (store: EventStore, catalog: Catalog, options: StrataOptions) => new JobDispatcher({
      store, catalog, options,
      repositories: new BackupRepositories(options),
      provider: new FileVolumeProvider(options.volumes_path),
      now: () => new Date(),
    }),
  }],
  exports: [JOB_DISPATCHER],
})
export class WorkerModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(JOB_DISPATCHER) private readonly dispatcher: JobDispatcher) {}

  onApplicationBootstrap() {
    return this.dispatcher.start();
  }

  // Before the stores close, so that no job is mid-append when they do.
  beforeApplicationShutdown() {
    return this.dispatcher.stop();
  }
}
