import type { CatalogDatabase } from '../schema/catalog-database';
import { listPage, type ListSpec, type Page, type PageRequest } from './list-page';
import { SNAPSHOT_SELECT, toSnapshotRow, type SnapshotRow } from './snapshot-row';

export type SnapshotListFilters = {
  readonly name?: string;
  readonly status?: string;
  readonly volumeId?: string;
  readonly projectId?: string;
};

export const SNAPSHOT_SORT_KEYS = ['created_at', 'id', 'name', 'status', 'size', 'updated_at'] as const;

const spec: ListSpec<SnapshotRow> = {
  entity: 'snapshot',
  select: SNAPSHOT_SELECT,
  from: 'snapshots s',
  id: 's.id',
  visible: "s.status <> 'deleted'",
  projectColumn: 's.project_id',
  sortColumns: Object.fromEntries(SNAPSHOT_SORT_KEYS.map((key) => [key, `s.${key}`])),
  filterColumns: { name: 's.name', status: 's.status', volumeId: 's.volume_id', projectId: 's.project_id' },
  toRow: toSnapshotRow,
};

export interface ListSnapshotsRequest extends PageRequest {
  readonly filters?: SnapshotListFilters;
}

export const listSnapshots = (db: CatalogDatabase, { filters = {}, ...page }: ListSnapshotsRequest): Page<SnapshotRow> =>
  listPage(db, spec, filters, page);
