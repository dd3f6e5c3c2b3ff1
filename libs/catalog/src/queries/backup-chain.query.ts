import type { CatalogDatabase } from '../schema/catalog-database';
import { BACKUP_SELECT, toBackupRow, type BackupRow } from './backup-row';
import { prepared } from './prepared';

/**
 * What a restore reads, base first: the full backup, each incremental, and the backup itself, by
 * following `parent_id` (as Cinder resolves the chain from its catalog). Empty for an unknown id.
 */
export const backupChain = (db: CatalogDatabase, backupId: string): BackupRow[] => {
  const rows = prepared(db,
    `WITH RECURSIVE chain (id, depth) AS (
       SELECT id, 0 FROM backups WHERE id = @backupId
       UNION ALL
       SELECT p.id, chain.depth + 1 FROM chain JOIN backups c ON c.id = chain.id JOIN backups p ON p.id = c.parent_id
       WHERE chain.depth < 10000
     )
     ${BACKUP_SELECT} JOIN chain ON chain.id = b.id ORDER BY chain.depth DESC`,
  ).all({ backupId }) as Record<string, unknown>[];
  return rows.map(toBackupRow);
};

/**
 * The first ancestor a chain lacks: an imported incremental whose parent has not been imported yet.
 * Null when the chain reaches a full backup.
 */
export const missingAncestorOf = (chain: readonly Pick<BackupRow, 'parentId'>[]): string | null => chain[0]?.parentId ?? null;
