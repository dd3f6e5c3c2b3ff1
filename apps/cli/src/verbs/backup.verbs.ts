import { call } from '../strata-http';
import { waitForJob } from '../wait-for-job';
import { listQuery, queryString } from './list-query';
import {
  CliExit,
  type Item,
  forEachRef,
  need,
  resolve,
  resolveIfExists,
  show,
  list,
  stringFlag,
  UsageError,
  type VerbContext,
  type Verbs,
} from './verb-kit';

/** openstack's `backup list --long` shows volume names; a failed lookup leaves the ids, as openstack does. */
const volumeNames = async (ctx: VerbContext): Promise<Map<string, string>> => {
  try {
    const { volumes } = await call<{ volumes: Item[] }>(ctx.http, 'GET', '/volumes/detail?all_tenants=1');
    return new Map(volumes.filter((v) => v.name).map((v) => [v.id, String(v.name)]));
  } catch {
    return new Map();
  }
};

export const BACKUP_VERBS: Verbs = {
  'backup list': {
    usage: 'backup list [--name N] [--status S] [--volume VOLUME] [--all-projects] [--long]',
    summary: 'List backups; --long adds the volume, container, availability zone, incremental and creation time.',
    flags: ['name', 'status', 'volume', 'all-projects', 'long'],
    maxArgs: 0,
    run: async (ctx) => {
      const q = listQuery(ctx);
      const volume = stringFlag(ctx, 'volume');
      // As openstack: a volume that cannot be found is sent as typed (and matches nothing).
      if (volume) q.set('volume_id', (await resolveIfExists(ctx, 'volumes', volume))?.id ?? volume);
      const { backups } = await call<{ backups: Item[] }>(ctx.http, 'GET', `/backups/detail${queryString(q)}`);
      if (!ctx.flags.long || ctx.json)
        return list(ctx, backups, [
          ['id', 'ID'],
          ['name', 'Name'],
          ['description', 'Description'],
          ['status', 'Status'],
          ['size', 'Size'],
        ]);
      const names = await volumeNames(ctx);
      list(
        ctx,
        backups.map((b) => ({ ...b, volume: names.get(String(b.volume_id)) ?? b.volume_id })),
        [
          ['id', 'ID'],
          ['name', 'Name'],
          ['description', 'Description'],
          ['status', 'Status'],
          ['size', 'Size'],
          ['availability_zone', 'Availability Zone'],
          ['volume', 'Volume'],
          ['container', 'Container'],
          ['is_incremental', 'Incremental'],
          ['created_at', 'Created At'],
        ],
      );
    },
  },
  'backup show': {
    usage: 'backup show BACKUP',
    summary: 'Show a backup (name or id).',
    flags: [],
    maxArgs: 1,
    run: async (ctx) => show(ctx, await resolve(ctx, 'backups', need(ctx, 0, 'BACKUP'))),
  },
  'backup create': {
    usage: 'backup create [--name N] [--description D] [--incremental] [--force] [--snapshot SNAPSHOT] [--wait] VOLUME',
    summary: 'Back up a volume (name or id): full, or --incremental on the newest available backup.',
    help: [
      '--incremental    only what changed since the newest available backup of the volume',
      '--force          back up an in-use volume',
      '--snapshot S     back up this snapshot of the volume',
      '--wait           show progress on stderr and return when the backup is available (Ctrl-C stops waiting, not the backup)',
    ],
    flags: ['name', 'description', 'incremental', 'force', 'snapshot', 'wait'],
    maxArgs: 1,
    run: async (ctx) => {
      const volume = await resolve(ctx, 'volumes', need(ctx, 0, 'VOLUME'));
      const snapshotRef = stringFlag(ctx, 'snapshot');
      const snapshot = snapshotRef ? await resolve(ctx, 'snapshots', snapshotRef) : null;
      const { backup } = await call<{ backup: Item }>(ctx.http, 'POST', '/backups', {
        backup: {
          volume_id: volume.id,
          name: stringFlag(ctx, 'name') ?? null,
          description: stringFlag(ctx, 'description') ?? null,
          incremental: Boolean(ctx.flags.incremental),
          force: Boolean(ctx.flags.force),
          snapshot_id: snapshot?.id ?? null,
        },
      });
      if (!ctx.flags.wait) return show(ctx, backup);
      await waitForJob(ctx, { kind: 'backup', backupId: backup.id });
      show(ctx, (await call<{ backup: Item }>(ctx.http, 'GET', `/backups/${backup.id}`)).backup);
    },
  },
  'backup restore': {
    usage: 'backup restore [--wait] BACKUP [VOLUME]',
    summary: 'Restore a backup into VOLUME (an existing volume, or the name of a new one), or into a new volume.',
    help: ['--wait    show progress on stderr and return when the restore ended (Ctrl-C stops waiting, not the restore)'],
    flags: ['wait'],
    maxArgs: 2,
    run: async (ctx) => {
      const backup = await resolve(ctx, 'backups', need(ctx, 0, 'BACKUP'));
      const target = ctx.args[1] ? await resolveIfExists(ctx, 'volumes', ctx.args[1]) : null;
      const { restore } = await call<{ restore: { backup_id: string; volume_id: string; volume_name: string | null } }>(
        ctx.http,
        'POST',
        `/backups/${backup.id}/restore`,
        { restore: { volume_id: target?.id ?? null, name: target ? null : (ctx.args[1] ?? null) } },
      );
      if (ctx.flags.wait) await waitForJob(ctx, { kind: 'restore', backupId: backup.id, volumeId: restore.volume_id });
      show(ctx, restore);
    },
  },
  'backup delete': {
    usage: 'backup delete [--force] BACKUP [BACKUP ...]',
    summary: 'Delete backups; --force (admin) also stops a running backup and deletes whatever its status.',
    flags: ['force'],
    run: async (ctx) => {
      need(ctx, 0, 'BACKUP');
      await forEachRef(ctx.args, { noun: 'backup', plural: 'backups', verb: 'delete' }, async (ref) => {
        const backup = await resolve(ctx, 'backups', ref);
        if (ctx.flags.force) await call(ctx.http, 'POST', `/backups/${backup.id}/action`, { 'os-force_delete': null });
        else await call(ctx.http, 'DELETE', `/backups/${backup.id}`);
      });
    },
  },
  'backup set': {
    usage: 'backup set [--state S] [--name N] [--description D] BACKUP',
    summary: "Change a backup's name or description, or (admin) reset its state to available or error.",
    help: ['--state S    available or error; resetting a restoring backup cancels its restore'],
    flags: ['state', 'name', 'description'],
    maxArgs: 1,
    run: async (ctx) => {
      const ref = need(ctx, 0, 'BACKUP');
      const [state, name, description] = [stringFlag(ctx, 'state'), stringFlag(ctx, 'name'), stringFlag(ctx, 'description')];
      if (state === undefined && name === undefined && description === undefined)
        throw new UsageError('nothing to set: give --state, --name or --description');
      const backup = await resolve(ctx, 'backups', ref);
      if (name !== undefined || description !== undefined)
        await call(ctx.http, 'PUT', `/backups/${backup.id}`, {
          backup: { ...(name !== undefined && { name }), ...(description !== undefined && { description }) },
        });
      if (state !== undefined) {
        try {
          await call(ctx.http, 'POST', `/backups/${backup.id}/action`, { 'os-reset_status': { status: state } });
        } catch (error) {
          throw new Error(`Failed to set backup state: ${(error as Error).message}`);
        }
      }
    },
  },
  'backup reset-state': {
    usage: 'backup reset-state [--state S] BACKUP [BACKUP ...]',
    summary: 'Reset the state of backups (admin); --state defaults to available.',
    flags: ['state'],
    run: async (ctx) => {
      need(ctx, 0, 'BACKUP');
      let failed = 0;
      for (const ref of ctx.args) {
        try {
          const backup = await resolve(ctx, 'backups', ref);
          await call(ctx.http, 'POST', `/backups/${backup.id}/action`, {
            'os-reset_status': { status: stringFlag(ctx, 'state') ?? 'available' },
          });
          if (!ctx.json) console.log(`Request to update backup '${ref}' has been accepted.`);
        } catch (error) {
          failed++;
          console.error(`Reset state for backup ${ref} failed: ${(error as Error).message}`);
        }
      }
      if (failed > 0) throw new CliExit(1);
    },
  },
};
