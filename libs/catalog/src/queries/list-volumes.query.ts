import type { CatalogDatabase } from '../schema/catalog-database';
import { listPage, type ListSpec, type Page, type PageRequest } from './list-page';
import { toVolumeRow, VOLUME_SELECT, type VolumeRow } from './volume-row';

export type VolumeListFilters = {
  readonly name?: string;
  readonly status?: string;
  readonly projectId?: string;
  readonly volumeTypeId?: string;
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
}

export const listVolumes = (db: CatalogDatabase, { filters = {}, ...page }: ListVolumesRequest): Page<VolumeRow> =>
  listPage(db, spec, filters, page);
