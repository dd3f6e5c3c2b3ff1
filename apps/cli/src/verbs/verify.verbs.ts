import { setTimeout as sleep } from 'node:timers/promises';
import { call } from '../strata-http';
import { strataRoot } from './strata-root';
import { type Item, need, resolve, show, type Verbs } from './verb-kit';

type Verification = Record<string, unknown> & { verification_id: string; result: string; reason?: string };

/**
 * `strata backup verify BACKUP [--no-wait]`: the server answers 202 and the worker reads the chain; the
 * command waits for the outcome (minutes for a multi-GB chain) and exits 1 when the backup is damaged.
 */
export const VERIFY_VERBS: Verbs = {
  'backup verify': async (ctx) => {
    const backup = await resolve(ctx, 'backups', need(ctx, 0, 'BACKUP'));
    const { verification } = await call<{ verification: Verification }>(
      strataRoot(ctx.http),
      'POST',
      `/strata/v1/backups/${backup.id}/verify`,
    );
    if (ctx.flags['no-wait']) return show(ctx, verification);
    for (;;) {
      const { progress } = await call<{ progress: Item }>(strataRoot(ctx.http), 'GET', `/strata/v1/backups/${backup.id}/progress`);
      const last = progress.last_verification as Verification | null;
      if (last?.verification_id === verification.verification_id && last.result !== 'running') {
        show(ctx, { backup_id: backup.id, ...last });
        if (last.result !== 'passed') throw new Error(`Backup ${backup.id} failed verification: ${last.reason}`);
        return;
      }
      await sleep(500);
    }
  },
};
