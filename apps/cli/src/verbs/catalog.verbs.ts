import { printTable } from '../output';
import { call } from '../strata-http';
import { download, fileOrStdout, strataV1, upload } from '../strata-v1-http';
import { flagValue, flagValues } from './flag-values';
import { need, resolve, show, type Verbs } from './verb-kit';

/** `strata catalog …`: the admin's history tools (export, import), the read-model rebuild and its parked events. */
export const CATALOG_VERBS: Verbs = {
  'catalog export': async (ctx) => {
    const q = new URLSearchParams();
    if (ctx.flags.all) q.set('all', 'true');
    for (const ref of [...flagValues(ctx, 'backup'), ...ctx.args]) q.append('backup_id', (await resolve(ctx, 'backups', ref)).id);
    if (!ctx.flags.all && !q.has('backup_id')) throw new Error('say what to export: --backup ID (repeatable) or --all');
    const output = flagValue(ctx, 'output');
    const bytes = await download(strataV1(ctx.http), `/catalog/export?${q}`, fileOrStdout(output));
    if (output) console.error(`Exported the catalog history to ${output} (${bytes} bytes).`);
  },
  'catalog import': async (ctx) => {
    const file = need(ctx, 0, 'FILE');
    const { import: result } = await upload<{ import: Record<string, unknown> }>(
      strataV1(ctx.http),
      '/catalog/import',
      file,
      'application/x-ndjson',
    );
    show(ctx, result);
  },
  'catalog rebuild': async (ctx) => {
    const { rebuild } = await call<{ rebuild: Record<string, unknown> }>(strataV1(ctx.http), 'POST', '/catalog/rebuild');
    show(ctx, rebuild);
  },
  'catalog failures': {
    usage: 'catalog failures   (admin)',
    summary: 'Events the catalog parked because a projection could not apply them; `strata catalog rebuild` retries them.',
    flags: [],
    maxArgs: 0,
    run: async (ctx) => {
      const { failures } = await call<{ failures: Record<string, unknown>[] }>(strataV1(ctx.http), 'GET', '/catalog/failures');
      if (ctx.json) return console.log(JSON.stringify(failures, null, 2));
      if (failures.length === 0) return console.log('No event is parked.');
      printTable(failures, [
        ['position', 'Position'],
        ['event_id', 'Event ID'],
        ['stream_id', 'Stream'],
        ['type', 'Type'],
        ['projection', 'Projection'],
        ['error', 'Error'],
        ['parked_at', 'Parked At'],
      ]);
    },
  },
};
