import type { VolumeTypeRow } from '@strata/catalog';
import { existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ServiceStatus } from './service-directory';

/** Strata's one volume backend: file-backed volumes under `volumes_path`, one pool. */
export const BACKEND_NAME = 'file';

export interface Pool {
  readonly name: string;
  readonly zone: string;
  readonly capabilities: Readonly<Record<string, unknown>>;
}

/** `volumes_path` is created with the first volume: until then its file system is its nearest existing parent's. */
const existingDirOf = (path: string): string => {
  let dir = path;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
};

const gib = (bytes: number) => Math.round((bytes / 2 ** 30) * 100) / 100;

/**
 * The pool each cinder-volume service that is up offers, as Cinder's scheduler reports it
 * (`host@backend#pool`, the driver's capabilities). Capacity is the file system that holds
 * `volumes_path`; allocated is the size of the volumes the catalog holds.
 */
export const poolsOf = (services: readonly ServiceStatus[], volumesPath: string, allocatedGb: number, now: Date): Pool[] => {
  const fs = statfsSync(existingDirOf(volumesPath));
  const total = gib(fs.blocks * fs.bsize);
  const free = gib(fs.bavail * fs.bsize);
  return services
    .filter((s) => s.binary === 'cinder-volume' && s.up)
    .map((s) => ({
      name: `${s.host}#${BACKEND_NAME}`,
      zone: s.zone,
      capabilities: {
        pool_name: BACKEND_NAME,
        volume_backend_name: BACKEND_NAME,
        vendor_name: 'Strata',
        driver_version: '1.0.0',
        storage_protocol: 'file',
        total_capacity_gb: total,
        free_capacity_gb: free,
        allocated_capacity_gb: allocatedGb,
        provisioned_capacity_gb: allocatedGb,
        reserved_percentage: 0,
        max_over_subscription_ratio: '1.0',
        thin_provisioning_support: true,
        thick_provisioning_support: false,
        QoS_support: false,
        multiattach: false,
        online_extend_support: true,
        backend_state: 'up',
        timestamp: now.toISOString().replace(/Z$/, ''),
      },
    }));
};

/** oslo's bool_from_string for `<is>` specs. */
const truthy = (v: unknown) => ['true', '1', 'yes', 'on', 't', 'y'].includes(String(v).trim().toLowerCase());

/**
 * What Cinder's scheduler filters keep for a volume type: the AvailabilityZoneFilter
 * (`RESKEY:availability_zones`) and the CapabilitiesFilter (each unscoped or `capabilities:` spec must be
 * a capability of the pool with that value; `<is>` compares booleans, any other operator text as given).
 */
export const poolServesType = (pool: Pool, type: VolumeTypeRow): boolean =>
  Object.entries(type.extraSpecs).every(([key, required]) => {
    if (key === 'RESKEY:availability_zones')
      return String(required)
        .split(',')
        .map((z) => z.trim())
        .includes(pool.zone);
    const [scope, name] = key.includes(':') ? [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)] : [null, key];
    if (scope !== null && scope !== 'capabilities') return true;
    if (!(name in pool.capabilities)) return false;
    const cap = pool.capabilities[name];
    const spec = String(required);
    if (spec.startsWith('<is>')) return truthy(cap) === truthy(spec.slice(4));
    return String(cap) === spec;
  });
