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
import { AmqpNotificationPublisher } from './notifications/amqp-publisher';
import { Notifier } from './notifications/notifier';

export const JOB_DISPATCHER = Symbol('JOB_DISPATCHER');
/** The notifier, or null when no notification driver publishes (Cinder's default: none). */
export const NOTIFIER = Symbol('NOTIFIER');

/** A notifier when `[oslo_messaging_notifications] driver` is messagingv2 (or messaging), as Cinder's. */
export const notifierOf = (store: EventStore, options: StrataOptions, workerId: string): Notifier | null => {
  if (options.notification_driver !== 'messagingv2' && options.notification_driver !== 'messaging') return null;
  const now = () => new Date();
  const repositories = new BackupRepositories(options);
  return new Notifier({
    store,
    leases: new JobLeases({ store, workerId, leaseSeconds: options.worker_lease_seconds, now }),
    publisher: new AmqpNotificationPublisher({
      url: options.notification_transport_url || options.transport_url,
      exchange: options.control_exchange,
      topics: options.notification_topics,
      confirmTimeoutMs: 30_000,
    }),
    settings: {
      host: options.host,
      progressTimerEnabled: (service) => repositories.progressTimerEnabled(service),
      timerIntervalSeconds: options.backup_timer_interval,
      objectsPerNotification: options.backup_object_number_per_notification,
    },
    now,
    leaseRetryMs: (options.worker_lease_seconds * 1000) / 2,
    minRetryMs: 500,
    maxRetryMs: 10_000,
    batchEvents: 500,
    quietCheckpointMs: 5_000,
    pollMs: 250,
  });
};

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
    {
      provide: NOTIFIER,
      inject: [EVENT_STORE, STRATA_OPTIONS, JOB_DISPATCHER],
      useFactory: (store: EventStore, options: StrataOptions, dispatcher: JobDispatcher) => notifierOf(store, options, dispatcher.workerId),
    },
  ],
  exports: [JOB_DISPATCHER, NOTIFIER],
})
export class WorkerModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(JOB_DISPATCHER) private readonly dispatcher: JobDispatcher,
    @Inject(NOTIFIER) private readonly notifier: Notifier | null,
  ) {}

  async onApplicationBootstrap() {
    await this.dispatcher.start();
    new Logger('Worker').log(`worker ${this.dispatcher.workerId} taking jobs`);
    await this.notifier?.initialize();
    // Not awaited: the notifier follows the log on its own; a broker away must not hold the start-up.
    this.notifier?.start();
  }

  // Before the stores close, so that no job is mid-append when they do.
  async beforeApplicationShutdown() {
    await Promise.all([this.dispatcher.stop(), this.notifier?.stop()]);
  }
}
