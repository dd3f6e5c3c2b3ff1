import { setTimeout as sleep } from 'node:timers/promises';
import { call } from '../strata-http';
import { listQuery, queryString } from './list-query';
import { type Item, forEachRef, need, resolve, show, list, stringFlag, UsageError, type VerbContext, type Verbs } from './verb-kit';

/** Polls until the new volume leaves `creating`; `error` fails the command. */
const waitForVolume = async (ctx: VerbContext, id: string): Promise<Item> => {
  for (;;) {
    const { volume } = await call<{ volume: Item & { status: string } }>(ctx.http, 'GET', `/volumes/${id}`);
    if (volume.status !== 'creating') {
      if (volume.status !== 'available') throw new Error(`Volume ${id} ended in status ${volume.status}.`);
      return volume;
    }
    await sleep(250);
  }
};

export const VOLUME_VERBS: Verbs = {
  'volume list': {
    usage: 'volume list [--name N] [--status S] [--all-projects] [--long]',
    summary: 'List volumes.',
    flags: ['name', 'status', 'all-projects', 'long'],
    maxArgs: 0,
    run: async (ctx) => {
      const { volumes } = await call<{ volumes: Item[] }>(ctx.http, 'GET', `/volumes/detail${queryString(listQuery(ctx))}`);
      list(ctx, volumes, [
        ['id', 'ID'],
        ['name', 'Name'],
        ['status', 'Status'],
        ['size', 'Size'],
        ...(ctx.flags.long
          ? ([
              ['availability_zone', 'Availability Zone'],
              ['bootable', 'Bootable'],
              ['created_at', 'Created At'],
            ] as [string, string][])
          : []),
      ]);
    },
  },
  'volume show': {
    usage: 'volume show VOLUME',
    summary: 'Show a volume (name or id).',
    flags: [],
    maxArgs: 1,
    run: async (ctx) => show(ctx, await resolve(ctx, 'volumes', need(ctx, 0, 'VOLUME'))),
  },
  'volume create': {
    usage: 'volume create --size GB [--backup B | --snapshot S | --source V] [--description D] [--wait] [NAME]',
    summary: 'Create a file-backed volume: empty, or from a backup, a snapshot or another volume.',
    help: [
      "--size GB      size in GiB (required for an empty volume; from a source, the source's by default)",
      '--backup B     restore this backup (name or id) into the new volume',
      '--snapshot S   copy this snapshot (name or id) into the new volume',
      '--source V     clone this volume (name or id)',
      '--wait         return once the volume is available',
    ],
    flags: ['size', 'description', 'wait', 'backup', 'snapshot', 'source'],
    maxArgs: 1,
    run: async (ctx) => {
      // `--backup` is a repeatable flag of other verbs (catalog export): here it names one backup.
      const raw = (ctx.flags as Readonly<Record<string, unknown>>).backup;
      const backups = ([] as unknown[]).concat(raw ?? []).filter((v): v is string => typeof v === 'string');
      if (backups.length > 1) throw new UsageError('argument --backup: expected one backup');
      const refs = { backup: backups[0], snapshot: stringFlag(ctx, 'snapshot'), source: stringFlag(ctx, 'source') };
      const sources = (['backup', 'snapshot', 'source'] as const).filter((f) => refs[f] !== undefined);
      if (sources.length > 1) throw new UsageError('only one of --backup, --snapshot and --source may be given');
      const sizeText = stringFlag(ctx, 'size');
      if (sizeText === undefined && sources.length === 0) throw new UsageError('the following arguments are required: --size');
      const size = sizeText === undefined ? undefined : Number(sizeText);
      if (size !== undefined && (!Number.isInteger(size) || size < 1))
        throw new UsageError(`argument --size: invalid int value: '${sizeText}'`);
      const ref = (flag: 'backup' | 'snapshot' | 'source') => refs[flag] as string;
      const source =
        sources[0] === 'backup'
          ? { backup_id: (await resolve(ctx, 'backups', ref('backup'))).id }
          : sources[0] === 'snapshot'
            ? { snapshot_id: (await resolve(ctx, 'snapshots', ref('snapshot'))).id }
            : sources[0] === 'source'
              ? { source_volid: (await resolve(ctx, 'volumes', ref('source'))).id }
              : {};
      const { volume } = await call<{ volume: Item }>(ctx.http, 'POST', '/volumes', {
        volume: {
          ...(size !== undefined ? { size } : {}),
          ...source,
          name: ctx.args[0] ?? null,
          description: stringFlag(ctx, 'description') ?? null,
        },
      });
      show(ctx, ctx.flags.wait ? await waitForVolume(ctx, volume.id) : volume);
    },
  },
  'volume delete': {
    usage: 'volume delete VOLUME [VOLUME ...]',
    summary: 'Delete volumes (name or id).',
    flags: [],
    run: async (ctx) => {
      need(ctx, 0, 'VOLUME');
      await forEachRef(ctx.args, { noun: 'volume', plural: 'volumes', verb: 'delete' }, async (ref) => {
        const v = await resolve(ctx, 'volumes', ref);
        await call(ctx.http, 'DELETE', `/volumes/${v.id}`);
      });
    },
  },
};
