import type { CatalogDatabase } from '../schema/catalog-database';
import { prepared } from './prepared';
import { scopeClause, type Scope } from './scope';
import { SNAPSHOT_SELECT, toSnapshotRow, type SnapshotRow } from './snapshot-row';

/** One live snapshot the caller may see, or null. */
export const getSnapshot = (db: CatalogDatabase, id: string, scope: Scope): SnapshotRow | null => {
  const scoped = scopeClause('s.project_id', scope);
  const row = prepared(db, `${SNAPSHOT_SELECT} WHERE s.id = @id AND s.status <> 'deleted' AND ${scoped.sql}`).get({
    id,
    ...scoped.params,
  }) as Record<string, unknown> | undefined;
  return row ? toSnapshotRow(row) : null;
};
