import type { CatalogDatabase } from '../schema/catalog-database';
import { prepared } from './prepared';

/** Every incremental the catalog has seen of a backup, in any status (deleted ones too). */
export const childIds = (db: CatalogDatabase, backupId: string): string[] =>
  (prepared(db, 'SELECT id FROM backups WHERE parent_id = @backupId ORDER BY id').all({ backupId }) as { id: string }[]).map((r) => r.id);
