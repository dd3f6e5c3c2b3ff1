import type { BackupListFilters } from '@strata/catalog';
import { atLeast } from '../context/microversion';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';

/** Cinder's resource_filters.json default for backups: what a non-admin may filter on. */
export const USER_FILTERS = ['name', 'status', 'volume_id'];
/** Columns an admin may filter on in addition; any other key matches nothing, as in Cinder. */
const ADMIN_FILTERS = [...USER_FILTERS, 'project_id', 'user_id', 'parent_id', 'snapshot_id', 'availability_zone', 'container'];

/** Turns query filters into catalog filters; returns null when an admin filter can match nothing. */
export const backupListFilters = (ctx: RequestContext, raw: Readonly<Record<string, string>>): BackupListFilters | null => {
  const filters: Record<string, string> = {};
  const likes = atLeast(ctx.microversion, '3.34');
  for (const [key, value] of Object.entries(raw)) {
    const base = likes && key.endsWith('~') ? key.slice(0, -1) : key;
    const allowed = ctx.isAdmin ? ADMIN_FILTERS : USER_FILTERS;
    if (!allowed.includes(base) || (key.endsWith('~') && !ctx.isAdmin)) {
      if (ctx.isAdmin) return null;
      if (atLeast(ctx.microversion, '3.31')) throw HttpFault.badRequest(`Invalid filters ${key} are found in query options.`);
      continue;
    }
    filters[key] = value;
  }
  const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(filters)) out[k.endsWith('~') ? `${camel(k.slice(0, -1))}Like` : camel(k)] = v;
  return out as BackupListFilters;
};
