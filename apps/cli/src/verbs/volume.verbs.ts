import { call } from '../strata-http';
import { type Item, need, resolve, show, list, type Verbs } from './verb-kit';

export const VOLUME_VERBS: Verbs = {
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
};
