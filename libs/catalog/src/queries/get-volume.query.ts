import type { CatalogDatabase } from '../schema/catalog-database';
import { prepared } from './prepared';
import { scopeClause, type Scope } from './scope';
import { toVolumeRow, VOLUME_SELECT, type VolumeRow } from './volume-row';

/** One live volume the caller may see, or null. */
export const getVolume = (db: CatalogDatabase, id: string, scope: Scope): VolumeRow | null => {
  const scoped = scopeClause('v.project_id', scope);
  const row = prepared(db, `${VOLUME_SELECT} WHERE v.id = @id AND v.status <> 'deleted' AND ${scoped.sql}`).get({
    id,
    ...scoped.params,
  }) as Record<string, unknown> | undefined;
  return row ? toVolumeRow(row) : null;
};
