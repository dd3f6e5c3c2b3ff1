import type { CatalogDatabase } from '../schema/catalog-database';
import { BACKUP_SELECT, toBackupRow, type BackupRow } from './backup-row';
import { prepared } from './prepared';

/**
 * What a restore reads, base first: the full backup, each incremental, and the backup itself, by
 * following `parent_id` (as Cinder resolves the chain from its catalog). Empty for an unknown id.
 */
export const backupChain = (db: CatalogDatabase, backupId: string): BackupRow[] => {
  const rows = prepared(
    db,
    `WITH RECURSIVE chain (id, depth, seen) AS (
       SELECT id, 0, '/' || id || '/' FROM backups WHERE id = @backupId
       UNION ALL
       SELECT p.id, chain.depth + 1, chain.seen || p.id || '/'
       FROM chain JOIN backups c ON c.id = chain.id JOIN backups p ON p.id = c.parent_id
       -- Imported records can name each other as parents: a cycle ends the walk instead of repeating.
       WHERE chain.depth < 10000 AND instr(chain.seen, '/' || p.id || '/') = 0
     )
     ${BACKUP_SELECT} JOIN chain ON chain.id = b.id ORDER BY chain.depth DESC`,
  ).all({ backupId }) as Record<string, unknown>[];
  return rows.map(toBackupRow);
};

/**
 * The first ancestor a chain lacks: an imported incremental whose parent has not been imported yet (or
 * a cycle of imported records, which never reaches a full backup). Null when the chain reaches a full backup.
 */
export const missingAncestorOf = (chain: readonly Pick<BackupRow, 'parentId'>[]): string | null => chain[0]?.parentId ?? null;
