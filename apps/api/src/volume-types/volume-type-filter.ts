import type { VolumeListFilters } from '@strata/catalog';
import type { RequestContext } from '../context/request-context';

/**
 * The volume list's filters: the ones every project may use, and for an admin also `volume_type_id`
 * (Cinder lets an admin filter on any column of a volume; this is the one that names the type).
 */
export const volumeListFilters = (
  ctx: RequestContext,
  raw: Readonly<Record<string, string>>,
  userFilters: readonly string[],
): VolumeListFilters => {
  const allowed = ctx.isAdmin ? [...userFilters, 'volume_type_id'] : userFilters;
  const picked = Object.entries(raw).filter(([key]) => allowed.includes(key));
  return Object.fromEntries(picked.map(([key, value]) => [key === 'volume_type_id' ? 'volumeTypeId' : key, value])) as VolumeListFilters;
};
