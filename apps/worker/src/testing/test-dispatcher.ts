import type { Catalog } from '@strata/catalog';
import type { StrataOptions } from '@strata/config';
import type { EventStore } from '@strata/event-store';
import { FileVolumeProvider } from '@strata/volumes';
import { join } from 'node:path';
import type { BackupRepositories } from '../backup-repositories';
import { JobDispatcher } from '../job-dispatcher';
import type { JobPool } from '../job-pool';
import { JobLeases } from '../leases/job-lease';
import { OperationSlots } from '../operation-slots';

/** A worker for specs: volumes under `dir`, one sweep at start and none after, no backup slots taken. */
export const testDispatcher = (deps: {
  readonly store: EventStore;
  readonly catalog: Catalog;
  readonly options: StrataOptions;
  readonly repositories: BackupRepositories;
  readonly dir: string;
  readonly pool?: JobPool;
}): JobDispatcher => {
  const now = () => new Date();
  return new JobDispatcher({
    store: deps.store,
    catalog: deps.catalog,
    options: deps.options,
    now,
    repositories: deps.repositories,
    provider: new FileVolumeProvider(join(deps.dir, 'volumes')),
    leases: new JobLeases({ store: deps.store, workerId: 'worker-under-test', leaseSeconds: 30, now }),
    sweepIntervalMs: 3_600_000,
    pool: deps.pool,
    backupSlots: new OperationSlots(0),
    backupServiceDisabled: () => false,
  });
};
