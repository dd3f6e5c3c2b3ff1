import { printTable } from '../output';
import { call } from '../strata-http';
import { strataV1 } from '../strata-v1-http';
import { flagValue, flagValues } from './flag-values';
import { need, resolve, type Item, type VerbContext, type Verbs } from './verb-kit';

interface AuditEvent extends Record<string, unknown> {
  readonly position: number;
}

const EVENT_COLUMNS: [string, string][] = [
  ['position', 'Position'],
  ['occurred_at', 'When'],
  ['type', 'Event'],
  ['entity_kind', 'Kind'],
  ['entity_id', 'ID'],
  ['user_id', 'User'],
  ['project_id', 'Project'],
  ['request_id', 'Request'],
];
const PAGE = 1000;

/** Every page of an events route, following the log position. */
const allEvents = async (ctx: VerbContext, path: string, query: URLSearchParams): Promise<AuditEvent[]> => {
  const events: AuditEvent[] = [];
  query.set('limit', String(PAGE));
  for (;;) {
    const page = await call<{ events: AuditEvent[] }>(strataV1(ctx.http), 'GET', `${path}?${query}`);
    events.push(...page.events);
    if (page.events.length < PAGE) return events;
    query.set('after_position', String(page.events[page.events.length - 1]!.position));
  }
};

const printEvents = (ctx: VerbContext, events: AuditEvent[]) =>
  ctx.json ? console.log(JSON.stringify(events, null, 2)) : printTable(events, EVENT_COLUMNS);

const backupEvents = async (ctx: VerbContext) => {
  const ref = need(ctx, 0, 'BACKUP');
  // A deleted backup no longer resolves by name, but its id still has a history.
  const id = await resolve(ctx, 'backups', ref).then(
    (b) => b.id,
    () => ref,
  );
  printEvents(ctx, await allEvents(ctx, `/backups/${encodeURIComponent(id)}/events`, new URLSearchParams()));
};

/** `strata audit …`: who did what, when, from which request; and the catalog at a past time. */
export const AUDIT_VERBS: Verbs = {
  'audit events': async (ctx) => {
    const q = new URLSearchParams();
    for (const [flag, param] of [
      ['since', 'since'],
      ['until', 'until'],
      ['project', 'project_id'],
      ['volume', 'volume_id'],
    ] as const) {
      const value = flagValue(ctx, flag);
      if (value) q.set(param, value);
    }
    for (const type of flagValues(ctx, 'type')) q.append('type', type);
    printEvents(ctx, await allEvents(ctx, '/events', q));
  },
  'audit backup': backupEvents,
  'backup events': backupEvents,
  'audit as-of': async (ctx) => {
    const q = new URLSearchParams({ as_of: need(ctx, 0, 'TIME') });
    if (ctx.flags['all-projects']) q.set('all_tenants', 'True');
    const { backups } = await call<{ backups: Item[] }>(strataV1(ctx.http), 'GET', `/backups?${q}`);
    if (ctx.json) return console.log(JSON.stringify(backups, null, 2));
    printTable(backups, [
      ['id', 'ID'],
      ['name', 'Name'],
      ['status', 'Status'],
      ['size', 'Size'],
      ['is_incremental', 'Incremental'],
      ['has_dependent_backups', 'Has dependents'],
      ['volume_id', 'Volume'],
      ['updated_at', 'Updated'],
    ]);
  },
};
