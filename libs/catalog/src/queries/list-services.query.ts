import type { ServiceBinary } from '@strata/domain';
import type { CatalogDatabase } from '../schema/catalog-database';
import { prepared } from './prepared';

export interface ServiceRow {
  readonly binary: ServiceBinary;
  readonly host: string;
  readonly zone: string;
  readonly disabled: boolean;
  readonly disabledReason: string | null;
  readonly createdAt: string;
  /** When an admin last disabled or enabled it. */
  readonly modifiedAt: string | null;
}

export interface ServiceFilters {
  /** Cinder's host match: the host itself, or any `host@backend` / `host#pool` of it. */
  readonly host?: string;
  readonly binary?: string;
}

const toServiceRow = (r: Record<string, unknown>): ServiceRow => ({
  binary: r.binary as ServiceBinary,
  host: r.host as string,
  zone: r.zone as string,
  disabled: Number(r.disabled) === 1,
  disabledReason: (r.disabled_reason as string | null) ?? null,
  createdAt: r.created_at as string,
  modifiedAt: (r.modified_at as string | null) ?? null,
});

/**
 * The services, in the order they registered. A host filter matches as Cinder's `_filter_host` does at
 * its automatic level: with `#` exactly, with `@` the backend and its pools, otherwise the host and its
 * backends and pools.
 */
export const listServices = (db: CatalogDatabase, filters: ServiceFilters = {}): ServiceRow[] => {
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  if (filters.binary !== undefined) {
    clauses.push('binary = @binary');
    params.binary = filters.binary;
  }
  if (filters.host !== undefined) {
    const h = filters.host;
    const prefixes = h.includes('#') ? [] : h.includes('@') ? [`${h}#`] : [`${h}@`, `${h}#`];
    clauses.push(`(host = @host${prefixes.map((_, i) => ` OR substr(host, 1, length(@prefix${i})) = @prefix${i}`).join('')})`);
    params.host = h;
    prefixes.forEach((p, i) => (params[`prefix${i}`] = p));
  }
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  return (prepared(db, `SELECT * FROM services ${where} ORDER BY created_at, binary, host`).all(params) as Record<string, unknown>[]).map(
    toServiceRow,
  );
};
