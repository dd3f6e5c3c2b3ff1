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
/** One stream per catalog import (`catalog-import-<sha256 of the file>`): its start and its completion. */
export const CATALOG_IMPORT_STREAM_PREFIX = 'catalog-import-';
export const catalogImportStreamId = (importId: string) => `${CATALOG_IMPORT_STREAM_PREFIX}${importId.toLowerCase()}`;
