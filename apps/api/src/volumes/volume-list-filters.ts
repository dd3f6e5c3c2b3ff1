import type { VolumeListFilters } from '@strata/catalog';
import { atLeast } from '../context/microversion';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';
import { pyLiteralOf } from '../validation/py-literal';

/** The list filters volumes honour for every project (advertised by GET /resource_filters). */
export const VOLUME_FILTERS = ['name', 'status', 'metadata'];
/** The columns an admin may also filter on: the one that names the type (Cinder lets an admin use any column). */
const ADMIN_ONLY = ['volume_type_id'];
const COLUMN: Readonly<Record<string, keyof VolumeListFilters>> = { name: 'name', status: 'status', volume_type_id: 'volumeTypeId' };

/**
 * `metadata={'k': 'v', ...}` as Cinder reads it: the value is a Python literal (`ast.literal_eval` in
 * check_volume_filters); a dict matches the volumes having every item among their metadata or the admin
 * metadata their views show (`readonly`, `attached_mode`). Anything but a dict of strings (or integers,
 * which the database compares as their digits) matches nothing, as Cinder's query returns none.
 */
const metadataFilterOf = (raw: string): Record<string, string> | null => {
  const value = pyLiteralOf(raw);
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) return null;
  const items: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') items[k] = v;
    else if (typeof v === 'number' && Number.isSafeInteger(v)) items[k] = String(v);
    else return null;
  }
  return items;
};

export type VolumeListSelection = { readonly filters: VolumeListFilters; readonly metadata: Readonly<Record<string, string>> | null };

/**
 * The volume list's filters as Cinder reads them; null when they can match nothing. A member's key
 * outside VOLUME_FILTERS is refused from 3.31 (Cinder's resource filters) and dropped before; `key~`
 * (a substring, LIKE) is not among them, so only admins use it: `name~` from 3.31, where Cinder turns it
 * into `display_name~` (before, it names the model's `name` property, which Cinder's LIKE skips), and
 * `status~`. An admin's other keys are not filters Strata has (dropped, as before).
 */
export const volumeListSelection = (ctx: RequestContext, raw: Readonly<Record<string, string>>): VolumeListSelection | null => {
  const filters: Record<string, string> = {};
  let metadata: Record<string, string> | null = null;
  const converts = atLeast(ctx.microversion, '3.31');
  for (const [key, value] of Object.entries(raw)) {
    const like = key.endsWith('~');
    const base = like ? key.slice(0, -1) : key;
    if (!ctx.isAdmin && (like || !VOLUME_FILTERS.includes(key))) {
      if (converts) throw HttpFault.badRequest(`Invalid filters ${key} are found in query options.`);
      continue;
    }
    if (key === 'metadata') {
      const items = metadataFilterOf(value);
      if (!items) return null;
      metadata = { ...(metadata ?? {}), ...items };
    } else if (like) {
      if (base === 'name' && !converts) continue;
      if (base !== 'name' && base !== 'status') return null;
      filters[`${COLUMN[base]}Like`] = value;
    } else if (COLUMN[key] && (VOLUME_FILTERS.includes(key) || ADMIN_ONLY.includes(key))) filters[COLUMN[key]] = value;
  }
  return { filters: filters as VolumeListFilters, metadata };
};
