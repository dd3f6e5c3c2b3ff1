import { HttpFault } from '../errors/cinder-fault';

/** Pagination, sorting and filters of Cinder's list calls (cinder/api/common.py), parsed once. */
export interface SortKey {
  readonly key: string;
  readonly dir: 'asc' | 'desc';
}

export interface ListQuery {
  readonly limit: number;
  readonly marker: string | null;
  readonly offset: number;
  readonly sort: readonly SortKey[];
  readonly withCount: boolean;
  readonly allTenants: boolean;
  readonly filters: Readonly<Record<string, string>>;
}

const PAGINATION_KEYS = ['limit', 'marker', 'offset', 'sort', 'sort_key', 'sort_dir', 'with_count', 'all_tenants'];
const TRUTHY = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSY = ['0', 'f', 'false', 'off', 'n', 'no'];

const parseBool = (name: string, raw: string) => {
  const v = raw.toLowerCase();
  if (TRUTHY.includes(v)) return true;
  if (FALSY.includes(v)) return false;
  throw HttpFault.badRequest(`${name} must be a boolean, got '${raw}'.`);
};

/**
 * Cinder's column names that its lists also sort by: cinderclient sends `--sort name` as `display_name`
 * (SORT_KEY_MAPPINGS), which Cinder's database accepts at every microversion.
 */
const SORT_COLUMN_ALIASES: Readonly<Record<string, string>> = { display_name: 'name' };

const first = (v: unknown): string | undefined => (Array.isArray(v) ? String(v[0]) : v === undefined ? undefined : String(v));

export const parseListQuery = (
  query: Record<string, unknown>,
  { maxLimit, sortKeys }: { maxLimit: number; sortKeys: readonly string[] },
): ListQuery => {
  const raw = (k: string) => first(query[k]);
  let limit = maxLimit;
  if (raw('limit') !== undefined) {
    if (!/^-?\d+$/.test(raw('limit')!)) throw HttpFault.badRequest('limit param must be an integer');
    const n = Number(raw('limit'));
    if (n < 0) throw HttpFault.badRequest('limit param must be positive');
    limit = Math.min(n, maxLimit);
  }
  let offset = 0;
  if (raw('offset') !== undefined) {
    if (!/^\d+$/.test(raw('offset')!)) throw HttpFault.badRequest(`Invalid value '${raw('offset')}' for offset. It must be a non-negative integer.`);
    offset = Number(raw('offset'));
  }
  const sort = parseSort(raw('sort'), raw('sort_key'), raw('sort_dir'), sortKeys);
  const filters: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (!PAGINATION_KEYS.includes(k) && v !== undefined) filters[k] = first(v)!;
  return {
    limit, offset, sort, filters,
    marker: raw('marker') ?? null,
    withCount: raw('with_count') !== undefined && parseBool('with_count', raw('with_count')!),
    allTenants: raw('all_tenants') !== undefined && parseBool('all_tenants', raw('all_tenants')!),
  };
};

const parseSort = (sort: string | undefined, sortKey: string | undefined, sortDir: string | undefined, allowed: readonly string[]): SortKey[] => {
  if (sort !== undefined && (sortKey !== undefined || sortDir !== undefined))
    throw HttpFault.badRequest("The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter.");
  const pairs: [string, string | undefined][] = sort !== undefined
    ? sort.split(',').map((part) => part.trim().split(':') as [string, string | undefined])
    : sortKey !== undefined ? [[sortKey, sortDir]] : [];
  const keys = pairs.map(([key, dir = 'desc']) => {
    const d = dir.toLowerCase();
    if (d !== 'asc' && d !== 'desc') throw HttpFault.badRequest(`Unknown sort direction, must be 'desc' or 'asc'`);
    if (!allowed.includes(key)) throw HttpFault.badRequest(`Invalid input received: Invalid sort key`);
    return { key: SORT_COLUMN_ALIASES[key] ?? key, dir: d } as SortKey;
  });
  // Cinder always appends created_at and id as tie-breakers.
  for (const tie of ['created_at', 'id']) if (!keys.some((k) => k.key === tie)) keys.push({ key: tie, dir: keys[0]?.dir ?? 'desc' });
  return keys;
};
