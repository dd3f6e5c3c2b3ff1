import { HttpFault } from '../errors/cinder-fault';

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

const EVENTS_KEYS = ['since', 'until', 'type', 'project_id', 'volume_id', 'marker', 'after_position', 'limit'];
const PAGE_KEYS = ['marker', 'after_position', 'limit'];

const one = (query: Record<string, unknown>, key: string): string | undefined => {
  const value = query[key];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw HttpFault.badRequest(`${key} may be given once.`);
  return String(value);
};

const many = (query: Record<string, unknown>, key: string): string[] => {
  const value = query[key];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v !== '');
};

/** An ISO 8601 time, normalised to the form the events carry (`toISOString`), so text comparison orders it. */
export const parseTime = (key: string, raw: string | undefined): string | undefined => {
  if (raw === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) throw HttpFault.badRequest(`${key} must be an ISO 8601 time such as 2026-11-27T10:00:00Z, got '${raw}'.`);
  return new Date(ms).toISOString();
};

const parsePosition = (key: string, raw: string | undefined): bigint | undefined => {
  if (raw === undefined) return undefined;
  if (!/^\d{1,18}$/.test(raw)) throw HttpFault.badRequest(`${key} must be a log position (a whole number), got '${raw}'.`);
  return BigInt(raw);
};

const parseLimit = (raw: string | undefined): number => {
  if (raw === undefined) return DEFAULT_EVENTS_LIMIT;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw HttpFault.badRequest(`limit must be a positive integer, got '${raw}'.`);
  return Math.min(Number(raw), MAX_EVENTS_LIMIT);
};

const refuseUnknown = (query: Record<string, unknown>, known: readonly string[]) => {
  const unknown = Object.keys(query).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw HttpFault.badRequest(`Invalid filter(s): ${unknown.join(', ')}. Known: ${known.join(', ')}.`);
};

/** A page after a position: `after_position`, or `marker` (the same thing, by the name Cinder's lists use). */
export const parsePage = (query: Record<string, unknown>) => {
  const after = one(query, 'after_position') ?? one(query, 'marker');
  return { afterPosition: parsePosition('after_position', after), limit: parseLimit(one(query, 'limit')) };
};

export const parseEventsQuery = (query: Record<string, unknown>): EventsQuery => {
  refuseUnknown(query, EVENTS_KEYS);
  const since = parseTime('since', one(query, 'since'));
  const until = parseTime('until', one(query, 'until'));
  if (since && until && since > until) throw HttpFault.badRequest(`since (${since}) is after until (${until}).`);
  return {
    since, until, types: many(query, 'type'), projectId: one(query, 'project_id'), volumeId: one(query, 'volume_id'),
    ...parsePage(query),
  };
};

/** A backup's history is paged the same way, with no filters. */
export const parseBackupEventsQuery = (query: Record<string, unknown>) => {
  refuseUnknown(query, PAGE_KEYS);
  return parsePage(query);
};

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
