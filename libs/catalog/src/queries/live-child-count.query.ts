import type { CatalogDatabase } from '../schema/catalog-database';
import { prepared } from './prepared';

/**
 * The delete guard: live incremental children of a backup, in any status but deleted, in every project
 * (Cinder scopes this to the caller, which lets an admin bypass it; Strata checks globally).
 */
export const liveChildCount = (db: CatalogDatabase, backupId: string): number => {
  const row = prepared(db, 'SELECT COUNT(*) AS n FROM backup_children WHERE parent_id = @backupId').get({ backupId }) as { n: bigint };
  return Number(row.n);
};
