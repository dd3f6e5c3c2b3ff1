import { volumeTypeNameKey } from '@strata/domain';
import type { CatalogDatabase } from '../schema/catalog-database';
import { getVolumeType } from './get-volume-type.query';
import { listPage, type Condition, type ListSpec, type Page, type SortKey } from './list-page';
import {
  publicOrAccessible,
  toVolumeTypeRow,
  visibilityOf,
  VOLUME_TYPE_SELECT,
  type TypeVisibility,
  type VolumeTypeRow,
} from './volume-type-row';

export const VOLUME_TYPE_SORT_KEYS = ['created_at', 'updated_at', 'id', 'name', 'description', 'is_public'] as const;

/** Exact matches on the type's columns (an admin may filter on any, as in Cinder); the name without regard to case. */
export interface VolumeTypeListFilters {
  readonly id?: string;
  readonly name?: string;
  readonly description?: string;
}

export interface ListVolumeTypesRequest {
  readonly visibility: TypeVisibility;
  /**
   * Cinder's `is_public`: true, the public types and the private ones the caller's project may use;
   * false, the private ones; null, all of them.
   */
  readonly isPublic: boolean | null;
  readonly filters?: VolumeTypeListFilters;
  /** Extra specs a type must have, each with this value (`RESKEY:availability_zones` contains it, as in Cinder). */
  readonly extraSpecs?: Readonly<Record<string, string>>;
  readonly sort?: readonly SortKey[];
  readonly limit?: number | null;
  /** A marker naming no type the caller sees is ignored, as Cinder ignores it for types. */
  readonly marker?: string | null;
  readonly offset?: number;
}

const spec: ListSpec<VolumeTypeRow> = {
  entity: 'volume_type',
  select: VOLUME_TYPE_SELECT,
  from: 'volume_types t',
  id: 't.id',
  visible: 't.deleted_at IS NULL',
  // Types belong to no project: who sees which is a condition of its own (`visibilityOf`), and the scope is all.
  projectColumn: 'NULL',
  sortColumns: Object.fromEntries(VOLUME_TYPE_SORT_KEYS.map((key) => [key, `t.${key}`])),
  filterColumns: { id: 't.id', nameKey: 't.name_key', description: 't.description' },
  toRow: toVolumeTypeRow,
};

const extraSpecConditions = (specs: Readonly<Record<string, string>>): Condition[] =>
  Object.entries(specs).map(([key, value], i) => ({
    sql:
      `EXISTS (SELECT 1 FROM volume_type_extra_specs s WHERE s.volume_type_id = t.id AND s.key = @vtKey${i} AND ` +
      (key === 'RESKEY:availability_zones' ? `s.value LIKE @vtValue${i} ESCAPE '\\')` : `s.value = @vtValue${i})`),
    params: {
      [`vtKey${i}`]: key,
      [`vtValue${i}`]: key === 'RESKEY:availability_zones' ? `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : value,
    },
  }));

export const listVolumeTypes = (db: CatalogDatabase, request: ListVolumeTypesRequest): Page<VolumeTypeRow> => {
  const { visibility, isPublic, filters = {}, extraSpecs = {}, marker, ...page } = request;
  const conditions: Condition[] = [visibilityOf(visibility), ...extraSpecConditions(extraSpecs)];
  if (isPublic === true) conditions.push(publicOrAccessible(visibility.projectId));
  if (isPublic === false) conditions.push({ sql: 't.is_public = 0', params: {} });
  const { name, ...exact } = filters;
  const known = marker && getVolumeType(db, marker, visibility) ? marker : null;
  return listPage(
    db,
    spec,
    { ...exact, nameKey: name === undefined ? undefined : volumeTypeNameKey(name) },
    { ...page, marker: known, scope: { projectId: '', allProjects: true } },
    conditions,
  );
};
