import { Inject, Injectable } from '@nestjs/common';
import { CATALOG, type Catalog, type ServiceFilters, type ServiceRow } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { isServiceUp, serviceBeaconKey, ServiceNotFound } from '@strata/domain';
import { EVENT_STORE, type EventStore } from '@strata/event-store';

/** How long a refusal waits for the catalog to reach the log's head before it is given. */
const CATCH_UP_MS = 5_000;

/** A service as Cinder's `services` row and `is_up` show it: the catalog's row and its last heartbeat. */
export interface ServiceStatus extends ServiceRow {
  /** The last heartbeat, or the registration when the service never beat (Cinder's `updated_at or created_at`). */
  readonly lastSeenAt: string;
  readonly up: boolean;
}

/**
 * Which services exist (the catalog, from their events) and which are alive (their beacons, read from
 * the event store at the moment of asking, judged against `service_down_time`).
 */
@Injectable()
export class ServiceDirectory {
  constructor(
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
  ) {}

  async list(now: Date, filters: ServiceFilters = {}): Promise<ServiceStatus[]> {
    const rows = this.catalog.listServices(filters);
    if (rows.length === 0) return [];
    const beacons = await this.store.readBeacons();
    return rows.map((row) => {
      const beat = beacons.get(serviceBeaconKey(row.binary, row.host));
      const lastSeenAt = beat && beat > row.createdAt ? beat : row.createdAt;
      return { ...row, lastSeenAt, up: isServiceUp(lastSeenAt, now.toISOString(), this.options.service_down_time) };
    });
  }

  /**
   * Cinder's `_get_any_available_backup_service`: a cinder-backup service that is up and enabled, in
   * `zone` when one is asked for; this process's own zone first when none is. Null when there is none.
   */
  async availableBackupService(now: Date, zone: string | null): Promise<ServiceStatus | null> {
    const found = await this.findAvailable(now, zone);
    if (found) return found;
    // A worker that has just registered (or been enabled) may be ahead of this replica: look again at the head.
    await this.catalog.waitForPosition(await this.store.headPosition(), CATCH_UP_MS);
    return this.findAvailable(now, zone);
  }

  /**
   * Cinder's `_get_available_backup_service_host` for a command on an existing backup (restore, delete,
   * reset-state, export): with no cinder-backup up and enabled in the backup's zone, its ServiceNotFound,
   * a 404, and nothing is recorded.
   */
  async requireBackupService(now: Date, zone: string | null): Promise<void> {
    if (!(await this.availableBackupService(now, zone))) throw new ServiceNotFound('cinder-backup');
  }

  private async findAvailable(now: Date, zone: string | null): Promise<ServiceStatus | null> {
    const candidates = (await this.list(now, { binary: 'cinder-backup' })).filter(
      (s) => s.up && !s.disabled && (zone === null || s.zone === zone),
    );
    return candidates.find((s) => s.zone === this.options.storage_availability_zone) ?? candidates[0] ?? null;
  }
}
