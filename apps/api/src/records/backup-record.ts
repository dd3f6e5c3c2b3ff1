import type { BackupRow } from '@strata/catalog';
import { recordTime, type CinderBackupRecord } from './backup-record.codec';

/** The export record of a catalog row, as Cinder's `Backup` object would carry it. */
export const recordOfBackup = (b: BackupRow, dependentBackups: number, service: string): CinderBackupRecord => ({
  id: b.id,
  user_id: b.userId,
  project_id: b.projectId,
  volume_id: b.volumeId,
  // Strata has no backup hosts; an importing Cinder replaces host, service and zone with its own anyway.
  host: null,
  availability_zone: b.availabilityZone,
  container: b.container,
  parent_id: b.parentId,
  status: b.status,
  fail_reason: b.failReason,
  size: b.size,
  display_name: b.name,
  display_description: b.description,
  service_metadata: b.serviceMetadata,
  service,
  object_count: b.objectCount,
  temp_volume_id: null,
  temp_snapshot_id: null,
  num_dependent_backups: dependentBackups,
  snapshot_id: b.snapshotId,
  data_timestamp: recordTime(b.dataTimestamp),
  restore_volume_id: b.restoreVolumeId,
  metadata: b.metadata,
  encryption_key_id: b.encryptionKeyId,
  created_at: recordTime(b.createdAt),
  updated_at: recordTime(b.updatedAt),
  deleted_at: null,
  deleted: false,
});
