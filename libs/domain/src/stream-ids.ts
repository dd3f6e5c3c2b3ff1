/** The only place stream names are built. Subscriptions filter on the prefixes. */
export const BACKUP_STREAM_PREFIX = 'backup-';
export const VOLUME_STREAM_PREFIX = 'volume-';
export const SNAPSHOT_STREAM_PREFIX = 'snapshot-';
/**
 * Starts with VOLUME_STREAM_PREFIX: whatever tells streams apart by prefix must test this one first
 * (a `volume-` filter alone takes volume types in too).
 */
export const VOLUME_TYPE_STREAM_PREFIX = 'volume-type-';

export const backupStreamId = (backupId: string) => `${BACKUP_STREAM_PREFIX}${backupId.toLowerCase()}`;
export const volumeStreamId = (volumeId: string) => `${VOLUME_STREAM_PREFIX}${volumeId.toLowerCase()}`;
export const snapshotStreamId = (snapshotId: string) => `${SNAPSHOT_STREAM_PREFIX}${snapshotId.toLowerCase()}`;
export const volumeTypeStreamId = (volumeTypeId: string) => `${VOLUME_TYPE_STREAM_PREFIX}${volumeTypeId.toLowerCase()}`;
export const JOB_LEASE_STREAM_PREFIX = 'job-';
/** One lease stream per job subject: `job-backup-<uuid>`, `job-volume-<uuid>`, `job-snapshot-<uuid>`. */
export const jobLeaseStreamId = (subject: { readonly kind: string; readonly id: string }) =>
  `${JOB_LEASE_STREAM_PREFIX}${subject.kind}-${subject.id.toLowerCase()}`;
/**
 * One stream per project's quota, where every claim of the project is decided (the project id as
 * given: Keystone ids are case-sensitive), and one per quota class.
 */
export const QUOTA_STREAM_PREFIX = 'quota-';
export const QUOTA_CLASS_STREAM_PREFIX = 'quota-class-';
export const quotaStreamId = (projectId: string) => `${QUOTA_STREAM_PREFIX}${projectId}`;
export const quotaClassStreamId = (className: string) => `${QUOTA_CLASS_STREAM_PREFIX}${className}`;
