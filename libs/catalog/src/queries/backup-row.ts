import { int, jsonObject } from './prepared';

/** One backup as the catalog knows it: Cinder's detail fields, camelCase, plus Strata's progress. */
export interface BackupRow {
  readonly id: string;
  readonly status: string;
  /** GiB, Cinder's `size`. */
  readonly size: number;
  readonly objectCount: number;
  readonly availabilityZone: string | null;
  readonly container: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly name: string | null;
  readonly description: string | null;
  readonly failReason: string | null;
  readonly volumeId: string;
  readonly snapshotId: string | null;
  readonly dataTimestamp: string;
  readonly parentId: string | null;
  readonly metadata: Record<string, string>;
  readonly projectId: string;
  readonly userId: string;
  readonly encryptionKeyId: string | null;
  readonly service: string | null;
  /** The object prefix, fixed by BackupStarted. */
  readonly serviceMetadata: string | null;
  readonly restoreVolumeId: string | null;
  readonly deletedAt: string | null;
  readonly sizeBytes: number;
  readonly storedBytes: number;
  readonly bytesDone: number;
  /** The last verification (`result` running, passed or failed, with its counts or the bad object), or null. */
  readonly lastVerification: Record<string, unknown> | null;
  /** When the last verification finished, whatever its result. */
  readonly lastVerifiedAt: string | null;
  /** How an imported backup entered the catalog: a Cinder export record or a repository scan. */
  readonly importedFrom: 'record' | 'repository' | null;
  /** A completed, live incremental child exists (Cinder's display semantics). */
  readonly hasDependentBackups: boolean;
  readonly lastEventPosition: bigint;
}

/** Whether the backup `id` (an SQL expression) has a completed, live child now: from backup_children rows. */
export const hasDependentsNow = (id: string) => `EXISTS (SELECT 1 FROM backup_children c WHERE c.parent_id = ${id} AND c.completed = 1)`;

/** `b` is the backups table; the flag is derived from backup_children rows. */
export const BACKUP_SELECT = `
  SELECT b.*, ${hasDependentsNow('b.id')} AS has_dependent_backups
  FROM backups b`;

export const toBackupRow = (r: Record<string, unknown>): BackupRow => ({
  id: r.id as string,
  status: r.status as string,
  size: int(r.size),
  objectCount: int(r.object_count),
  availabilityZone: r.availability_zone as string | null,
  container: r.container as string | null,
  createdAt: r.created_at as string,
  updatedAt: r.updated_at as string,
  name: r.name as string | null,
  description: r.description as string | null,
  failReason: r.fail_reason as string | null,
  volumeId: r.volume_id as string,
  snapshotId: r.snapshot_id as string | null,
  dataTimestamp: r.data_timestamp as string,
  parentId: r.parent_id as string | null,
  metadata: jsonObject(r.metadata),
  projectId: r.project_id as string,
  userId: r.user_id as string,
  encryptionKeyId: r.encryption_key_id as string | null,
  service: r.service as string | null,
  serviceMetadata: r.service_metadata as string | null,
  restoreVolumeId: r.restore_volume_id as string | null,
  deletedAt: r.deleted_at as string | null,
  sizeBytes: int(r.size_bytes),
  storedBytes: int(r.stored_bytes),
  bytesDone: int(r.bytes_done),
  lastVerification: r.verification ? (JSON.parse(r.verification as string) as Record<string, unknown>) : null,
  lastVerifiedAt: (r.last_verified_at as string | null) ?? null,
  importedFrom: (r.imported_from as 'record' | 'repository' | null) ?? null,
  hasDependentBackups: int(r.has_dependent_backups) === 1,
  lastEventPosition: BigInt(r.last_event_position as bigint),
});
