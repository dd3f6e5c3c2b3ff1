import type { CatalogDatabase } from '../schema/catalog-database';
import { toJobRow, type JobRow } from './job-row';
import { prepared } from './prepared';

/** The job running on a backup (its backup, or a restore from it), or null when none runs. */
export const getJob = (db: CatalogDatabase, backupId: string, kind?: 'backup' | 'restore'): JobRow | null => {
  const row = prepared(
    db,
    `SELECT * FROM jobs WHERE backup_id = @backupId AND (@kind IS NULL OR kind = @kind)
     ORDER BY started_at DESC, kind LIMIT 1`,
  ).get({ backupId, kind: kind ?? null }) as Record<string, unknown> | undefined;
  return row ? toJobRow(row) : null;
};
