import { call } from '../strata-http';
import { listQuery, queryString } from './list-query';
import { type Item, forEachRef, need, resolve, show, list, stringFlag, UsageError, type Verbs } from './verb-kit';

export const SNAPSHOT_VERBS: Verbs = {
  'snapshot list': {
    usage: 'snapshot list [--name N] [--status S] [--volume VOLUME] [--all-projects] [--long]',
    summary: 'List snapshots.',
    flags: ['name', 'status', 'volume', 'all-projects', 'long'],
    maxArgs: 0,
    run: async (ctx) => {
      const q = listQuery(ctx);
      const volume = stringFlag(ctx, 'volume');
      if (volume) q.set('volume_id', (await resolve(ctx, 'volumes', volume)).id);
      const { snapshots } = await call<{ snapshots: Item[] }>(ctx.http, 'GET', `/snapshots/detail${queryString(q)}`);
      list(ctx, snapshots, [
        ['id', 'ID'],
        ['name', 'Name'],
        ['description', 'Description'],
        ['status', 'Status'],
        ['size', 'Size'],
        ...(ctx.flags.long
          ? ([
              ['created_at', 'Created At'],
              ['volume_id', 'Volume'],
            ] as [string, string][])
          : []),
      ]);
    },
  },
  'snapshot show': {
    usage: 'snapshot show SNAPSHOT',
    summary: 'Show a snapshot (name or id).',
    flags: [],
    maxArgs: 1,
    run: async (ctx) => show(ctx, await resolve(ctx, 'snapshots', need(ctx, 0, 'SNAPSHOT'))),
  },
  'snapshot create': {
    usage: 'snapshot create --volume VOLUME [--force] [--description D] [NAME]',
    summary: 'Snapshot a volume (--force for an in-use one).',
    flags: ['volume', 'force', 'description'],
    maxArgs: 1,
    run: async (ctx) => {
      const ref = stringFlag(ctx, 'volume');
      if (!ref) throw new UsageError('the following arguments are required: --volume');
      const volume = await resolve(ctx, 'volumes', ref);
      const { snapshot } = await call<{ snapshot: Item }>(ctx.http, 'POST', '/snapshots', {
        snapshot: {
          volume_id: volume.id,
          name: ctx.args[0] ?? null,
          description: stringFlag(ctx, 'description') ?? null,
          force: Boolean(ctx.flags.force),
        },
      });
      show(ctx, snapshot);
    },
  },
  'snapshot delete': {
    usage: 'snapshot delete SNAPSHOT [SNAPSHOT ...]',
    summary: 'Delete snapshots (name or id).',
    flags: [],
    run: async (ctx) => {
      need(ctx, 0, 'SNAPSHOT');
      await forEachRef(ctx.args, { noun: 'snapshot', plural: 'snapshots', verb: 'delete' }, async (ref) => {
        const s = await resolve(ctx, 'snapshots', ref);
        await call(ctx.http, 'DELETE', `/snapshots/${s.id}`);
      });
    },
  },
};
