import type { CatalogDatabase } from '../schema/catalog-database';
import { listPage, type ListSpec, type Page, type PageRequest } from './list-page';
import { toVolumeRow, VOLUME_SELECT, type VolumeRow } from './volume-row';

export type VolumeListFilters = {
  readonly name?: string;
  readonly status?: string;
  readonly projectId?: string;
  readonly volumeTypeId?: string;
  readonly nameLike?: string;
  readonly statusLike?: string;
};

export const VOLUME_SORT_KEYS = ['created_at', 'id', 'name', 'status', 'size', 'updated_at'] as const;

const spec: ListSpec<VolumeRow> = {
  entity: 'volume',
  select: VOLUME_SELECT,
  from: 'volumes v',
  id: 'v.id',
  visible: "v.status <> 'deleted'",
  projectColumn: 'v.project_id',
  sortColumns: Object.fromEntries(VOLUME_SORT_KEYS.map((key) => [key, `v.${key}`])),
  filterColumns: { name: 'v.name', status: 'v.status', projectId: 'v.project_id', volumeTypeId: 'v.volume_type_id' },
  toRow: toVolumeRow,
};

export interface ListVolumesRequest extends PageRequest {
  readonly filters?: VolumeListFilters;
  /** Items every listed volume has, in its user metadata or in the admin metadata its views show (Cinder's `metadata` filter). */
  readonly metadata?: Readonly<Record<string, string>> | null;
}

/** One item of the metadata filter: in `metadata` or `admin_metadata` (both JSON objects of strings). */
const hasItem = (i: number): string =>
  `EXISTS (SELECT 1 FROM json_each(v.metadata) j WHERE j.key = @mk${i} AND j.value = @mv${i})
   OR EXISTS (SELECT 1 FROM json_each(v.admin_metadata) j WHERE j.key = @mk${i} AND j.value = @mv${i})`;

export const listVolumes = (db: CatalogDatabase, { filters = {}, metadata, ...page }: ListVolumesRequest): Page<VolumeRow> =>
  listPage(
    db,
    spec,
    filters,
    page,
    Object.entries(metadata ?? {}).map(([key, value], i) => ({ sql: hasItem(i), params: { [`mk${i}`]: key, [`mv${i}`]: value } })),
  );
