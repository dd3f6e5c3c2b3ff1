import type { BackupListFilters } from '@strata/catalog';
import { atLeast } from '../context/microversion';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';

/** Cinder's resource_filters.json default for backups: what a non-admin may filter on. */
export const USER_FILTERS = ['name', 'status', 'volume_id'];
/** Columns an admin may filter on in addition; any other key matches nothing, as in Cinder. */
const ADMIN_FILTERS = [...USER_FILTERS, 'project_id', 'user_id', 'parent_id', 'snapshot_id', 'availability_zone', 'container'];
/**
 * Substring filters (`key~`, LIKE) an admin may use: the columns above, and from 3.31 `name~` and
 * `description~`, which Cinder's general filtering turns into its `display_name~`/`display_description~`
 * columns (cinder/api/common.py ATTRIBUTE_CONVERTERS) from that version on.
 */
const CONVERTED_LIKES = ['name', 'description'];

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Turns query filters into catalog filters as Cinder's backup list does; returns null when an admin's
 * filter can match nothing. A member's filter outside the resource filters is refused from 3.31 (and
 * dropped before, as Cinder's `remove_invalid_filter_options` does); `name~` is not among them by
 * default, so only admins filter by substring. An admin's `name~` before 3.31 reaches Cinder's query as
 * the model's `name` property, which its LIKE processing skips: every backup matches.
 */
export const backupListFilters = (ctx: RequestContext, raw: Readonly<Record<string, string>>): BackupListFilters | null => {
  const out: Record<string, string> = {};
  const converts = atLeast(ctx.microversion, '3.31');
  for (const [key, value] of Object.entries(raw)) {
    const like = key.endsWith('~');
    const base = like ? key.slice(0, -1) : key;
    if (!ctx.isAdmin) {
      if (like || !USER_FILTERS.includes(key)) {
        if (converts) throw HttpFault.badRequest(`Invalid filters ${key} are found in query options.`);
        continue;
      }
      out[camel(key)] = value;
      continue;
    }
    if (!like) {
      if (!ADMIN_FILTERS.includes(key)) return null;
      out[camel(key)] = value;
    } else if (CONVERTED_LIKES.includes(base)) {
      if (!converts) {
        if (base === 'name') continue;
        return null;
      }
      out[`${camel(base)}Like`] = value;
    } else {
      if (!ADMIN_FILTERS.includes(base)) return null;
      out[`${camel(base)}Like`] = value;
    }
  }
  return out as BackupListFilters;
};
