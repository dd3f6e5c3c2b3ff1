import { call } from '../strata-http';
import { type Item, need, resolve, show, type Verbs } from './verb-kit';

/** Cinder's export/import records: what `cinder backup-export` / `backup-import` do, by name or id. */
export const RECORD_VERBS: Verbs = {
  'backup export': async (ctx) => {
    const backup = await resolve(ctx, 'backups', need(ctx, 0, 'BACKUP'));
    const { 'backup-record': record } = await call<{ 'backup-record': Record<string, unknown> }>(
      ctx.http,
      'GET',
      `/backups/${backup.id}/export_record`,
    );
    show(ctx, record);
  },
  'backup import': async (ctx) => {
    const backupService = need(ctx, 0, 'SERVICE');
    const backupUrl = need(ctx, 1, 'URL');
    const { backup } = await call<{ backup: Item }>(ctx.http, 'POST', '/backups/import_record', {
      'backup-record': { backup_service: backupService, backup_url: backupUrl },
    });
    show(ctx, backup);
  },
};
