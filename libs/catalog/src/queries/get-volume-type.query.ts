import { volumeTypeNameKey } from '@strata/domain';
import type { CatalogDatabase } from '../schema/catalog-database';
import { prepared } from './prepared';
import { toVolumeTypeRow, visibilityOf, VOLUME_TYPE_SELECT, type TypeVisibility, type VolumeTypeRow } from './volume-type-row';

const one = (db: CatalogDatabase, where: string, params: Record<string, string>, visibility: TypeVisibility): VolumeTypeRow | null => {
  const visible = visibilityOf(visibility);
  const row = prepared(db, `${VOLUME_TYPE_SELECT} WHERE ${where} AND t.deleted_at IS NULL AND (${visible.sql})`).get({
    ...params,
    ...visible.params,
  }) as Record<string, unknown> | undefined;
  return row ? toVolumeTypeRow(row) : null;
};

/** One live type the caller may see, by id (exactly as stored: lower-case), or null. */
export const getVolumeType = (db: CatalogDatabase, id: string, visibility: TypeVisibility): VolumeTypeRow | null =>
  one(db, 't.id = @id', { id }, visibility);

/** One live type the caller may see, by name, compared as uniqueness compares names (`volumeTypeNameKey`). */
export const volumeTypeByName = (db: CatalogDatabase, name: string, visibility: TypeVisibility): VolumeTypeRow | null =>
  one(db, 't.name_key = @nameKey', { nameKey: volumeTypeNameKey(name) }, visibility);
