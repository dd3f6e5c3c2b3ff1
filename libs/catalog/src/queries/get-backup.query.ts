import type { CatalogDatabase } from '../schema/catalog-database';
import { BACKUP_SELECT, toBackupRow, type BackupRow } from './backup-row';
import { prepared } from './prepared';
import { scopeClause, type Scope } from './scope';

/** One live backup the caller may see, or null (absent, deleted, or another project's). */
export const getBackup = (db: CatalogDatabase, id: string, scope: Scope): BackupRow | null => {
  const scoped = scopeClause('b.project_id', scope);
  const row = prepared(db, `${BACKUP_SELECT} WHERE b.id = @id AND b.status <> 'deleted' AND ${scoped.sql}`).get({
    id,
    ...scoped.params,
  }) as Record<string, unknown> | undefined;
  return row ? toBackupRow(row) : null;
};
