import { DB_MAX_INT } from '@strata/domain';
import { HttpFault } from '../errors/cinder-fault';
import { firstOf, QueryField, validateQuery, type QueryValue } from './query-fields';

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

/** Python's int(): surrounding white space and a sign allowed. */
const INTEGER = /^\s*[-+]?\d+\s*$/;
const TRUTHY = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSY = ['0', 'f', 'false', 'off', 'n', 'no'];
const isBoolean = (raw: string) => TRUTHY.includes(raw.toLowerCase()) || FALSY.includes(raw.toLowerCase());
const boolean = (name: string) => (raw: string) => (isBoolean(raw) ? null : `${name} must be a boolean, got '${raw}'.`);

/** Cinder's list parameters, in the order its `get_pagination_params` and `get_sort_params` read them. */
export class ListQueryParams {
  @QueryField((raw) => (!INTEGER.test(raw) ? 'limit param must be an integer' : Number(raw) < 0 ? 'limit param must be positive' : null), {
    type: 'integer',
    minimum: 0,
  })
  limit?: QueryValue;

  @QueryField(() => null) marker?: QueryValue;

  /** `api_utils.validate_integer(offset, 'offset', 0, DB_MAX_INT)`. */
  @QueryField(
    (raw) => {
      if (!INTEGER.test(raw)) return 'offset must be an integer';
      const n = Number(raw);
      if (n < 0) return 'offset must be >= 0';
      return n > DB_MAX_INT ? `offset must be <= ${DB_MAX_INT}` : null;
    },
    { type: 'integer', minimum: 0, maximum: DB_MAX_INT },
  )
  offset?: QueryValue;

  @QueryField(() => null, { type: 'string', example: 'name:asc,created_at:desc' }) sort?: QueryValue;
  @QueryField(() => null) sort_key?: QueryValue;
  @QueryField(() => null) sort_dir?: QueryValue;
  @QueryField(boolean('with_count'), { type: 'boolean' }) with_count?: QueryValue;
  @QueryField(boolean('all_tenants'), { type: 'boolean' }) all_tenants?: QueryValue;
}

const PAGINATION_KEYS: readonly string[] = ['limit', 'marker', 'offset', 'sort', 'sort_key', 'sort_dir', 'with_count', 'all_tenants'];

/**
 * Cinder's column names that its lists also sort by: cinderclient sends `--sort name` as `display_name`
 * (SORT_KEY_MAPPINGS), which Cinder's database accepts at every microversion.
 */
const SORT_COLUMN_ALIASES: Readonly<Record<string, string>> = { display_name: 'name' };

export const parseListQuery = async (
  query: Record<string, unknown>,
  { maxLimit, sortKeys }: { maxLimit: number; sortKeys: readonly string[] },
): Promise<ListQuery> => {
  const q = await validateQuery(ListQueryParams, query, { filters: true });
  const raw = (value: QueryValue | undefined) => firstOf(value);
  const filters: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (!PAGINATION_KEYS.includes(k) && v !== undefined) filters[k] = firstOf(v as QueryValue)!;
  return {
    // `|| 0` turns "-0" into 0: SQLite refuses a REAL where LIMIT and OFFSET take an INTEGER.
    limit: q.limit === undefined ? maxLimit : Math.min(Number(raw(q.limit)), maxLimit) || 0,
    offset: q.offset === undefined ? 0 : Number(raw(q.offset)) || 0,
    marker: raw(q.marker) ?? null,
    sort: parseSort(raw(q.sort), raw(q.sort_key), raw(q.sort_dir), sortKeys),
    withCount: q.with_count !== undefined && TRUTHY.includes(raw(q.with_count)!.toLowerCase()),
    allTenants: q.all_tenants !== undefined && TRUTHY.includes(raw(q.all_tenants)!.toLowerCase()),
    filters,
  };
};

const parseSort = (
  sort: string | undefined,
  sortKey: string | undefined,
  sortDir: string | undefined,
  allowed: readonly string[],
): SortKey[] => {
  if (sort !== undefined && (sortKey !== undefined || sortDir !== undefined))
    throw HttpFault.badRequest("The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter.");
  const pairs: [string, string | undefined][] =
    sort !== undefined
      ? sort.split(',').map((part) => part.trim().split(':') as [string, string | undefined])
      : sortKey !== undefined
        ? [[sortKey, sortDir]]
        : [];
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
