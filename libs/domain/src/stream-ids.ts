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
/** A user message's own stream: only its deletion is recorded there (messages are derived from failures). */
export const USER_MESSAGE_STREAM_PREFIX = 'message-';
export const userMessageStreamId = (messageId: string) => `${USER_MESSAGE_STREAM_PREFIX}${messageId.toLowerCase()}`;
export const JOB_LEASE_STREAM_PREFIX = 'job-';
/** One lease stream per job subject: `job-backup-<uuid>`, `job-volume-<uuid>`, `job-snapshot-<uuid>`. */
export const jobLeaseStreamId = (subject: { readonly kind: string; readonly id: string }) =>
  `${JOB_LEASE_STREAM_PREFIX}${subject.kind}-${subject.id.toLowerCase()}`;
export const SERVICE_STREAM_PREFIX = 'service-';
/** One stream per service: `service-cinder-backup-<host>` (the binary is one of two, so the host follows unambiguously). */
export const serviceStreamId = (binary: string, host: string) => `${SERVICE_STREAM_PREFIX}${binary}-${host}`;
/**
 * One stream per project's quota, where every claim of the project is decided (the project id as
 * given: Keystone ids are case-sensitive), and one per quota class.
 */
export const QUOTA_STREAM_PREFIX = 'quota-';
// Not 'quota-class-': a project named 'class-x' would then share the stream of the class 'x'.
export const QUOTA_CLASS_STREAM_PREFIX = 'quotaclass-';
export const quotaStreamId = (projectId: string) => `${QUOTA_STREAM_PREFIX}${projectId}`;
export const quotaClassStreamId = (className: string) => `${QUOTA_CLASS_STREAM_PREFIX}${className}`;
/** One stream per catalog import (`catalog-import-<sha256 of the file>`): its start and its completion. */
export const CATALOG_IMPORT_STREAM_PREFIX = 'catalog-import-';
export const catalogImportStreamId = (importId: string) => `${CATALOG_IMPORT_STREAM_PREFIX}${importId.toLowerCase()}`;
