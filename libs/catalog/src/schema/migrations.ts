import { readModelsMigration } from './0001-read-models.migration';
import { backupVerificationAndImportMigration } from './0002-backup-verification-and-import.migration';
import { jobOwnerMigration } from './0003-job-owner.migration';
import { operationTotalsMigration } from './0004-operation-totals.migration';
import { projectionFailuresMigration } from './0005-projection-failures.migration';
import { checkpointEventMigration } from './0006-checkpoint-event.migration';
import { volumeTypesMigration } from './0007-volume-types.migration';
import { volumeActionsMigration } from './0008-volume-actions.migration';
import { volumeAttachedAtMigration } from './0009-volume-attached-at.migration';
import { backupRequestedByLockMigration } from './0010-backup-requested-by-lock.migration';
import { volumeSourceIdMigration } from './0011-volume-source-id.migration';
import { quotasMigration } from './0014-quotas.migration';
import { servicesMigration } from './0017-services.migration';
import { catalogImportsMigration } from './0020-catalog-imports.migration';
import { listAndAuditIndexesMigration } from './0021-list-and-audit-indexes.migration';
import { metricsKeptAsEventsArriveMigration } from './0022-metrics-kept-as-events-arrive.migration';
import { leanAuditMigration } from './0023-lean-audit.migration';
import { backupImportClaimsMigration } from './0024-backup-import-claims.migration';
import { userMessagesMigration } from './0025-user-messages.migration';
import { backupVersionsMigration } from './0026-backup-versions.migration';
import { workerSweepIndexesMigration } from './0027-worker-sweep-indexes.migration';
import { projectCountIndexMigration } from './0028-project-count-index.migration';
import { auditEnvelopeFromTheLogMigration } from './0029-audit-envelope-from-the-log.migration';
import { openVersionsAreTheRowsMigration } from './0030-open-versions-are-the-rows.migration';
import { endedChildrenByEndMigration } from './0031-ended-children-by-end.migration';
import { versionsLatestMigration } from './0032-versions-latest.migration';
import { statusTotalsWithoutEmptyRowsMigration } from './0033-status-totals-without-empty-rows.migration';
import { versionsNoTimeSeesMigration } from './0034-versions-no-time-sees.migration';
import type { Migration } from './migration';

/** In order; append, never edit a released step. */
export const MIGRATIONS: readonly Migration[] = [
  readModelsMigration,
  backupVerificationAndImportMigration,
  jobOwnerMigration,
  operationTotalsMigration,
  projectionFailuresMigration,
  checkpointEventMigration,
  volumeTypesMigration,
  volumeActionsMigration,
  volumeAttachedAtMigration,
  backupRequestedByLockMigration,
  volumeSourceIdMigration,
  quotasMigration,
  servicesMigration,
  catalogImportsMigration,
  listAndAuditIndexesMigration,
  metricsKeptAsEventsArriveMigration,
  leanAuditMigration,
  backupImportClaimsMigration,
  userMessagesMigration,
  backupVersionsMigration,
  workerSweepIndexesMigration,
  projectCountIndexMigration,
  auditEnvelopeFromTheLogMigration,
  openVersionsAreTheRowsMigration,
  endedChildrenByEndMigration,
  versionsLatestMigration,
  statusTotalsWithoutEmptyRowsMigration,
  versionsNoTimeSeesMigration,
];

/** Every table the migrations create: what a rebuild drops and what `dumpCatalog` compares, with its key. */
export const READ_MODEL_TABLES = {
  backups: 'id',
  backup_children: 'parent_id, child_id',
  backup_versions: 'created_at, backup_id, position',
  backup_versions_latest: 'one',
  volumes: 'id',
  snapshots: 'id',
  jobs: 'backup_id, kind',
  audit: 'position',
  operation_totals: 'id',
  job_starts: 'backup_id, kind',
  job_outcomes: 'position',
  projection_failures: 'position',
  volume_types: 'id',
  volume_type_extra_specs: 'volume_type_id, key',
  volume_type_encryption: 'volume_type_id',
  volume_type_projects: 'volume_type_id, project_id',
  messages: 'id',
  services: 'binary, host',
  catalog_imports: 'import_id',
  backup_status_totals: 'status',
  job_duration_buckets: 'kind, outcome, le',
  job_duration_sums: 'kind, outcome',
  projection_checkpoints: 'name',
  quota_limits: 'project_id, resource',
  quota_class_limits: 'class_name, resource',
  quota_claims: 'project_id, claim_id',
} as const;

export type ReadModelTable = keyof typeof READ_MODEL_TABLES;
