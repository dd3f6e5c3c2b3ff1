import type { CatalogDatabase } from '../schema/catalog-database';
import { BACKUP_SELECT, toBackupRow, type BackupRow } from './backup-row';
import { listPage, type ListSpec, type Page, type PageRequest } from './list-page';

/** The backup columns a list may filter on: exact by name, or a substring with the `Like` suffix. */
const BACKUP_FILTER_COLUMNS = {
  name: 'b.name',
  description: 'b.description',
  status: 'b.status',
  volumeId: 'b.volume_id',
  projectId: 'b.project_id',
  userId: 'b.user_id',
  parentId: 'b.parent_id',
  snapshotId: 'b.snapshot_id',
  availabilityZone: 'b.availability_zone',
  container: 'b.container',
} as const;

type BackupFilterKey = keyof typeof BACKUP_FILTER_COLUMNS;
export type BackupListFilters = { readonly [K in BackupFilterKey]?: string } & { readonly [K in BackupFilterKey as `${K}Like`]?: string };

export const BACKUP_SORT_KEYS = [
  'created_at',
  'id',
  'name',
  'status',
  'size',
  'updated_at',
  'volume_id',
  'data_timestamp',
  'availability_zone',
  'container',
  'project_id',
] as const;

const spec: ListSpec<BackupRow> = {
  entity: 'backup',
  select: BACKUP_SELECT,
  from: 'backups b',
  id: 'b.id',
  visible: "b.status <> 'deleted'",
  projectColumn: 'b.project_id',
  sortColumns: Object.fromEntries(BACKUP_SORT_KEYS.map((key) => [key, `b.${key}`])),
  filterColumns: BACKUP_FILTER_COLUMNS,
  toRow: toBackupRow,
};

export interface ListBackupsRequest extends PageRequest {
  readonly filters?: BackupListFilters;
}

/** Cinder's backup list: live rows in scope, filtered, sorted, paginated; `total` is for `with_count`. */
export const listBackups = (db: CatalogDatabase, { filters = {}, ...page }: ListBackupsRequest): Page<BackupRow> =>
  listPage(db, spec, filters, page);
