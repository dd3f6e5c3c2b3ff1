import type { BackupRow, JobRow } from '@strata/catalog';
import { cinderTime } from '../shared/cinder-view';

/** A running job as `/strata/v1` shows it: snake_case like the Cinder views, with the percentage done. */
export const jobView = (j: JobRow) => ({
  backup_id: j.backupId,
  kind: j.kind,
  volume_id: j.volumeId,
  bytes_done: j.bytesDone,
  bytes_total: j.bytesTotal,
  objects_done: j.objectsDone,
  percent: j.bytesTotal ? Math.min(100, Math.floor((j.bytesDone / j.bytesTotal) * 1000) / 10) : null,
  started_at: j.startedAt,
  updated_at: j.updatedAt,
});

/** A backup's state, its running job if any, and its last verification: what a client polls while it waits. */
export const progressView = (b: BackupRow, job: JobRow | null) => ({
  backup_id: b.id,
  status: b.status,
  volume_id: b.volumeId,
  restore_volume_id: b.restoreVolumeId,
  size_bytes: b.sizeBytes,
  stored_bytes: b.storedBytes,
  object_count: b.objectCount,
  fail_reason: b.failReason,
  job: job ? jobView(job) : null,
  last_verification: b.lastVerification,
  last_verified_at: cinderTime(b.lastVerifiedAt),
});

/** A backup with its place in the chain (Cinder's views have no parent id), for chains and the web page. */
export const chainMemberView = (b: BackupRow) => ({
  id: b.id,
  name: b.name,
  status: b.status,
  volume_id: b.volumeId,
  parent_id: b.parentId,
  is_incremental: b.parentId !== null,
  size: b.size,
  size_bytes: b.sizeBytes,
  stored_bytes: b.storedBytes,
  object_count: b.objectCount,
  created_at: b.createdAt,
  data_timestamp: b.dataTimestamp,
  fail_reason: b.failReason,
});
