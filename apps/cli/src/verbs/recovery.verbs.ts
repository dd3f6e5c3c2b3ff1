import { call } from '../strata-http';
import { strataRoot } from './strata-root';
import { list, type Item, type Verbs } from './verb-kit';

interface RecoveryReport {
  readonly recovered: Item[];
  readonly incomplete: Record<string, unknown>[];
  readonly skipped: Record<string, unknown>[];
}

/** `strata catalog recover [--repository PATH] [--project P]`: rebuilds lost backups from the repository's `_metadata`. */
export const RECOVERY_VERBS: Verbs = {
  'catalog recover': async (ctx) => {
    const body: Record<string, unknown> = {};
    if (ctx.flags.repository) body.repository = { driver: 'posix', path: String(ctx.flags.repository) };
    if (ctx.flags.project) body.project_id = String(ctx.flags.project);
    const { recovery } = await call<{ recovery: RecoveryReport }>(strataRoot(ctx.http), 'POST', '/strata/v1/catalog/recover', body);
    if (ctx.json) return console.log(JSON.stringify(recovery, null, 2));
    console.log(`recovered ${recovery.recovered.length}, incomplete ${recovery.incomplete.length}, skipped ${recovery.skipped.length}`);
    if (recovery.recovered.length > 0)
      list(ctx, recovery.recovered, [
        ['id', 'ID'],
        ['name', 'Name'],
        ['parent_id', 'Parent'],
        ['container', 'Container'],
      ]);
    for (const i of recovery.incomplete)
      console.log(`incomplete: ${String(i.id ?? i.prefix)} in ${String(i.container)}: ${String(i.reason)}`);
    for (const s of recovery.skipped) console.log(`skipped: ${String(s.id ?? s.prefix)}: ${String(s.reason)}`);
  },
};
