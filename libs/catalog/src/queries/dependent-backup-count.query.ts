import type { CatalogDatabase } from '../schema/catalog-database';
import { prepared } from './prepared';

/** Cinder's `num_dependent_backups` for an export record: live children that completed, derived from rows. */
export const dependentBackupCount = (db: CatalogDatabase, backupId: string): number => {
  const row = prepared(db, 'SELECT COUNT(*) AS n FROM backup_children WHERE parent_id = @backupId AND completed = 1').get({ backupId }) as {
    n: bigint;
  };
  return Number(row.n);
};
