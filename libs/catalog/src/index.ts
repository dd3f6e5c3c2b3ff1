export { Catalog, CATALOG, type CatalogOptions, type OpenCatalogOptions } from './catalog';
export type { LogDivergence } from './compare-with-log';
export { CatalogModule, type CatalogModuleOptions } from './catalog.module';
export { CatalogBuildStopped, CatalogWaitTimeout, InvalidSortKey, MarkerNotFound, ProjectionFailed, UnknownFilter } from './errors';
export { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';
export { CATALOG_PROJECTIONS } from './projections';
export type { EntityKind } from './projections/audit.projection';
export type { Projection, ProjectionTx, SqlParams, SqlValue } from './projections/projection';
export { dumpCatalog, rebuildCatalog, type CatalogDump, type RebuildResult } from './rebuild';
export { openCatalogDatabase, type CatalogDatabase } from './schema/catalog-database';
export type { BackupRow } from './queries/backup-row';
export type { PastBackupColumns, PastBackupRow, PastBackupSelect } from './queries/backups-as-of.query';
export type { VolumeRow, LocationFields } from './queries/volume-row';
export type { SnapshotRow } from './queries/snapshot-row';
export type { JobRow } from './queries/job-row';
export type { ServiceFilters, ServiceRow } from './queries/list-services.query';
export type { AuditRow, EventsOfEntityOptions } from './queries/events-of-entity.query';
export type { Scope } from './queries/scope';
export type { Page, PageRequest, SortKey } from './queries/list-page';
export { BACKUP_SORT_KEYS, type BackupListFilters, type ListBackupsRequest } from './queries/list-backups.query';
export { VOLUME_SORT_KEYS, type ListVolumesRequest, type VolumeListFilters } from './queries/list-volumes.query';
export { SNAPSHOT_SORT_KEYS, type ListSnapshotsRequest, type SnapshotListFilters } from './queries/list-snapshots.query';
export type { TypeVisibility, VolumeTypeEncryptionRow, VolumeTypeRow } from './queries/volume-type-row';
export { VOLUME_TYPE_SORT_KEYS, type ListVolumeTypesRequest, type VolumeTypeListFilters } from './queries/list-volume-types.query';
export type { MessageRow, MessageVisibility } from './queries/message-row';
export { MESSAGE_SORT_KEYS, type ListMessagesRequest, type MessageListFilters } from './queries/list-messages.query';
export type { NewestAvailableOptions } from './queries/newest-available-backup.query';
export { missingAncestorOf } from './queries/backup-chain.query';
export { JOB_DURATION_BUCKETS_SECONDS, type JobDurationHistogram, type OperationsMetrics } from './queries/operations-metrics.query';
export type { ProjectionFailureRow } from './queries/projection-failures.query';
export type { BackupRelations } from './queries/backup-relations.query';
export type { EventsInLogFilter } from './queries/events-in-log.query';
export { settlementOf, type QuotaClaimToSettle, type QuotaUsage } from './queries/quota.query';
export {
  HISTORY_FORMAT,
  HISTORY_VERSION,
  ORIGINAL_RECORDED_AT,
  InvalidHistoryFile,
  MAX_HISTORY_LINE_BYTES,
  firstRecordedAt,
  type HistoryEvent,
  type HistoryHeader,
  type HistorySelection,
  type HistoryTrailer,
} from './history/history-file';
export { exportHistory, type ExportHistoryRequest } from './history/export-history';
export { fileLines } from './history/file-lines';
export { importHistory, HistoryConflict, type ImportResult, type OpenLines, type StreamConflict } from './history/import-history';
