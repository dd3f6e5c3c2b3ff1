import { call } from '../strata-http';
import { type Item, need, resolve, show, list, type Verbs } from './verb-kit';

export const BACKUP_VERBS: Verbs = {  'backup list': async (ctx) => {
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
