import { HttpFault } from '../errors/cinder-fault';
import { QueryField, validateQuery, type QueryValue } from '../validation/query-fields';

/** `GET /strata/v1/events`: the filters of the global log and its page, parsed and checked once. */
export interface EventsQuery {
  readonly since?: string;
  readonly until?: string;
  readonly types: readonly string[];
  readonly projectId?: string;
  readonly volumeId?: string;
  readonly afterPosition?: bigint;
  readonly limit: number;
}

export const DEFAULT_EVENTS_LIMIT = 100;
export const MAX_EVENTS_LIMIT = 1000;

/** A parameter that may appear once, checked as `check` says. */
const once =
  (key: string, check: (raw: string) => string | null = () => null) =>
  (raw: string, all: readonly string[]) =>
    all.length > 1 ? `${key} may be given once.` : check(raw);

/** An ISO 8601 time, normalised to the form the events carry (`toISOString`), so text comparison orders it. */
export const parseTime = (key: string, raw: string | undefined): string | undefined => {
  if (raw === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) throw HttpFault.badRequest(`${key} must be an ISO 8601 time such as 2026-11-27T10:00:00Z, got '${raw}'.`);
  return new Date(ms).toISOString();
};

const timeProblem = (key: string) => (raw: string) => {
  try {
    parseTime(key, raw);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
};
const positionProblem = (key: string) => (raw: string) =>
  /^\d{1,18}$/.test(raw) ? null : `${key} must be a log position (a whole number), got '${raw}'.`;
const limitProblem = (raw: string) => (/^\d+$/.test(raw) && Number(raw) >= 1 ? null : `limit must be a positive integer, got '${raw}'.`);

/** `GET /strata/v1/events`. */
export class EventsParams {
  @QueryField(once('since', timeProblem('since')), { type: 'string', format: 'date-time' }) since?: string;
  @QueryField(once('until', timeProblem('until')), { type: 'string', format: 'date-time' }) until?: string;
  @QueryField(() => null, { type: 'string', description: 'Event types, comma-separated or repeated' }) type?: QueryValue;
  @QueryField(once('project_id')) project_id?: string;
  @QueryField(once('volume_id')) volume_id?: string;
  @QueryField(once('marker', positionProblem('after_position')), { type: 'integer' }) marker?: string;
  @QueryField(once('after_position', positionProblem('after_position')), { type: 'integer' }) after_position?: string;
  @QueryField(once('limit', limitProblem), { type: 'integer', minimum: 1, maximum: MAX_EVENTS_LIMIT }) limit?: string;
}

/** A backup's history: paged, no filters. */
export class BackupEventsParams {
  @QueryField(once('marker', positionProblem('after_position')), { type: 'integer' }) marker?: string;
  @QueryField(once('after_position', positionProblem('after_position')), { type: 'integer' }) after_position?: string;
  @QueryField(once('limit', limitProblem), { type: 'integer', minimum: 1, maximum: MAX_EVENTS_LIMIT }) limit?: string;
}

/** `GET /strata/v1/backups?as_of=…`: the catalog as it stood then. */
export class AsOfParams {
  @QueryField(once('as_of', timeProblem('as_of')), { type: 'string', format: 'date-time' }) as_of?: string;
  @QueryField(once('all_tenants'), { type: 'boolean' }) all_tenants?: string;
}

const many = (value: QueryValue | undefined): string[] =>
  (value === undefined ? [] : Array.isArray(value) ? value : [value])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');

/** A page after a position: `after_position`, or `marker` (the same thing, by the name Cinder's lists use). */
const pageOf = (q: BackupEventsParams) => {
  const after = q.after_position ?? q.marker;
  return {
    afterPosition: after === undefined ? undefined : BigInt(after),
    limit: q.limit === undefined ? DEFAULT_EVENTS_LIMIT : Math.min(Number(q.limit), MAX_EVENTS_LIMIT),
  };
};

export const parseEventsQuery = async (query: Record<string, unknown>): Promise<EventsQuery> => {
  const q = await validateQuery(EventsParams, query);
  const since = parseTime('since', q.since);
  const until = parseTime('until', q.until);
  if (since && until && since > until) throw HttpFault.badRequest(`since (${since}) is after until (${until}).`);
  return { since, until, types: many(q.type), projectId: q.project_id, volumeId: q.volume_id, ...pageOf(q) };
};

export const parseBackupEventsQuery = async (query: Record<string, unknown>) => pageOf(await validateQuery(BackupEventsParams, query));

/** The next page's link: the same query, after the last position shown. */
export const nextEventsLink = (baseUrl: string, path: string, query: Record<string, unknown>, lastPosition: bigint) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (key === 'marker' || key === 'after_position' || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  params.append('after_position', String(lastPosition));
  return [{ rel: 'next', href: `${baseUrl}${path}?${params.toString()}` }];
};
