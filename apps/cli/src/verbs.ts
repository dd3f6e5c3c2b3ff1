import { call, type HttpSettings } from './strata-http';
import { printFields, printTable } from './output';

type Item = Record<string, unknown> & { id: string; name?: string | null };
export interface VerbContext {
  readonly http: HttpSettings;
  readonly json: boolean;
  readonly args: readonly string[];
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
}

const show = (ctx: VerbContext, item: Record<string, unknown>) => (ctx.json ? console.log(JSON.stringify(item, null, 2)) : printFields(item));
const list = (ctx: VerbContext, rows: Item[], columns: [string, string][]) =>
  ctx.json ? console.log(JSON.stringify(rows, null, 2)) : printTable(rows, columns);

/** Names or ids, as openstack resolves them: an id first, then an exact name match. */
const resolve = async (ctx: VerbContext, collection: 'volumes' | 'backups' | 'snapshots', ref: string): Promise<Item> => {
  try {
    return Object.values(await call<Record<string, Item>>(ctx.http, 'GET', `/${collection}/${encodeURIComponent(ref)}`))[0];
  } catch {
    const found = Object.values(await call<Record<string, Item[]>>(ctx.http, 'GET', `/${collection}/detail?all_tenants=1&name=${encodeURIComponent(ref)}`))[0];
    if (found.length === 1) return found[0];
    throw new Error(found.length === 0 ? `No ${collection.slice(0, -1)} with a name or ID of '${ref}' exists.` : `More than one ${collection.slice(0, -1)} exists with the name '${ref}'.`);
  }
};

const need = (ctx: VerbContext, i: number, what: string) => {
  const v = ctx.args[i];
  if (!v) throw new Error(`missing ${what}`);
  return v;
};

export const VERBS: Record<string, (ctx: VerbContext) => Promise<void>> = {
  'volume list': async (ctx) => {
    const { volumes } = await call<{ volumes: Item[] }>(ctx.http, 'GET', '/volumes/detail');
    list(ctx, volumes, [['id', 'ID'], ['name', 'Name'], ['status', 'Status'], ['size', 'Size']]);
  },
  'volume show': async (ctx) => show(ctx, await resolve(ctx, 'volumes', need(ctx, 0, 'VOLUME'))),
  'volume create': async (ctx) => {
    const size = Number(ctx.flags.size ?? 1);
    const { volume } = await call<{ volume: Item }>(ctx.http, 'POST', '/volumes', { volume: { size, name: ctx.args[0] ?? null } });
    show(ctx, volume);
  },
  'volume delete': async (ctx) => {
    const v = await resolve(ctx, 'volumes', need(ctx, 0, 'VOLUME'));
    await call(ctx.http, 'DELETE', `/volumes/${v.id}`);
  },
  'backup list': async (ctx) => {
    const q = new URLSearchParams();
    if (ctx.flags.name) q.set('name', String(ctx.flags.name));
    if (ctx.flags.status) q.set('status', String(ctx.flags.status));
    if (ctx.flags['all-projects']) q.set('all_tenants', 'True');
    if (ctx.flags.volume) q.set('volume_id', (await resolve(ctx, 'volumes', String(ctx.flags.volume))).id);
    const { backups } = await call<{ backups: Item[] }>(ctx.http, 'GET', `/backups/detail?${q}`);
    list(ctx, backups, [['id', 'ID'], ['name', 'Name'], ['status', 'Status'], ['size', 'Size'], ['is_incremental', 'Incremental'], ['volume_id', 'Volume']]);
  },
  'backup show': async (ctx) => show(ctx, await resolve(ctx, 'backups', need(ctx, 0, 'BACKUP'))),
  'backup create': async (ctx) => {
    const volume = await resolve(ctx, 'volumes', need(ctx, 0, 'VOLUME'));
    const snapshot = ctx.flags.snapshot ? await resolve(ctx, 'snapshots', String(ctx.flags.snapshot)) : null;
    const { backup } = await call<{ backup: Item }>(ctx.http, 'POST', '/backups', {
      backup: { volume_id: volume.id, name: ctx.flags.name ?? null, incremental: Boolean(ctx.flags.incremental), force: Boolean(ctx.flags.force), snapshot_id: snapshot?.id ?? null },
    });
    show(ctx, backup);
  },
  'backup restore': async (ctx) => {
    const backup = await resolve(ctx, 'backups', need(ctx, 0, 'BACKUP'));
    const volume = ctx.args[1] ? await resolve(ctx, 'volumes', ctx.args[1]) : null;
    const { restore } = await call<{ restore: Record<string, unknown> }>(ctx.http, 'POST', `/backups/${backup.id}/restore`, { restore: { volume_id: volume?.id ?? null, name: null } });
    show(ctx, restore);
  },
  'backup delete': async (ctx) => {
    const backup = await resolve(ctx, 'backups', need(ctx, 0, 'BACKUP'));
    if (ctx.flags.force) await call(ctx.http, 'POST', `/backups/${backup.id}/action`, { 'os-force_delete': null });
    else await call(ctx.http, 'DELETE', `/backups/${backup.id}`);
  },
  'backup reset-state': async (ctx) => {
    for (const ref of ctx.args) {
      const backup = await resolve(ctx, 'backups', ref);
      await call(ctx.http, 'POST', `/backups/${backup.id}/action`, { 'os-reset_status': { status: String(ctx.flags.state ?? 'available') } });
    }
  },
};
