import type { BackupEvent } from '../backup/backup.events';
import type { CatalogImportEvent } from '../history/catalog-import.events';
import type { JobLeaseEvent } from '../lease/job-lease.events';
import type { NotifierEvent } from '../notification/notifier-checkpoint.events';
import {
  containerProblem,
  DB_MAX_INT,
  ENTITY_ID,
  ISO_TIME,
  MAX_BYTES,
  MAX_METADATA_ITEMS,
  MAX_REASON_LENGTH,
  MAX_TEXT_LENGTH,
  METADATA_KEY,
} from '../limits';
import type { ServiceEvent } from '../service/service.events';
import type { QuotaEvent } from '../quota/quota.events';
import type { SnapshotEvent } from '../snapshot/snapshot.events';
import type { VolumeEvent } from '../volume/volume.events';
import type { VolumeTypeEvent } from '../volume-type/volume-type.events';
import type { UserMessageEvent } from '../message/user-message.events';
import {
  boolean,
  integer,
  list,
  literal,
  nullable,
  object,
  optional,
  record,
  string,
  tagged,
  type Schema,
  type SchemaViolation,
} from './schema';

/**
 * The payload of every event type Strata records, with its bounds. Deciders check what they decide
 * against these (`checkedDecider`), and every path that appends events from outside a decider (catalog
 * import) checks each event before it appends any. A stored type name never changes; a new shape adds
 * optional fields (same version) or becomes version 2 with an upcaster in the reader.
 */

const id = string({ maxLength: 36, pattern: ENTITY_ID, patternName: 'a lower-case UUID' });
/** An id that came from outside (a Cinder record, a repository scan): kept as given, bounded. */
const reference = string({ minLength: 1, maxLength: MAX_TEXT_LENGTH });
const text = string({ maxLength: MAX_TEXT_LENGTH });
const time = string({ maxLength: 40, pattern: ISO_TIME, patternName: 'an ISO 8601 UTC time' });
const reason = string({ maxLength: MAX_REASON_LENGTH });
const sizeGb = integer({ min: 0, max: DB_MAX_INT });
const count = integer({ min: 0, max: MAX_BYTES });
const bytes = integer({ min: 0, max: MAX_BYTES });
const metadata = record(
  string({ minLength: 1, maxLength: MAX_TEXT_LENGTH, pattern: METADATA_KEY, patternName: "a key of Cinder's metadata pattern" }),
  text,
  {
    maxKeys: MAX_METADATA_ITEMS,
  },
);
const container: Schema<string> = {
  maxJsonBytes: text.maxJsonBytes,
  check(value, path) {
    const violation = text.check(value, path);
    if (violation || typeof value !== 'string') return violation;
    const problem = containerProblem(value);
    return problem ? { path, message: `is not a usable container: ${problem}` } : null;
  },
};
const md5 = string({ maxLength: 32, pattern: /^[0-9a-f]{32}$/, patternName: 'an MD5 hex digest' });
const location = object({
  kind: literal('file', 'block'),
  path: string({ minLength: 1, maxLength: 4096 }),
  sizeBytes: bytes,
  owned: boolean,
});
const driverSettings = object({
  objectSizeBytes: integer({ min: 1, max: MAX_BYTES }),
  shaBlockSizeBytes: integer({ min: 1, max: MAX_BYTES }),
  compression: text,
  compressionLevel: integer({ min: 0, max: 100 }),
});
const backupOutcome = literal('completed', 'failed', 'cancelled');
const jobSubject = object({ kind: literal('backup', 'volume', 'snapshot', 'verify', 'notifier'), id });

/** A backup as requested: the BackupRequested event, and the workflow input its lock carries. */
const backupRequested = object({
  backupId: id,
  volumeId: id,
  snapshotId: nullable(id),
  projectId: text,
  userId: text,
  name: nullable(text),
  description: nullable(text),
  container: nullable(container),
  incremental: boolean,
  force: boolean,
  parentId: nullable(id),
  sizeGb,
  availabilityZone: nullable(text),
  metadata,
  encryptionKeyId: nullable(text),
  service: text,
  dataTimestamp: time,
  createdAt: time,
});

type DataOf<E extends { type: string; data: unknown }, T extends E['type']> = Extract<E, { type: T }>['data'];
type SchemasOf<E extends { type: string; data: unknown }> = { readonly [T in E['type']]: Schema<DataOf<E, T>> };

const BACKUP_SCHEMAS: SchemasOf<BackupEvent> = {
  BackupRequested: backupRequested,
  BackupStarted: object({
    backupId: id,
    container,
    objectPrefix: string({ minLength: 1, maxLength: 1024 }),
    service: text,
    driver: driverSettings,
    startedAt: time,
  }),
  ChunkWritten: object({
    backupId: id,
    objectIndex: integer({ min: 1, max: MAX_BYTES }),
    objectName: string({ minLength: 1, maxLength: 1024 }),
    chunkIndex: count,
    offsetBytes: bytes,
    lengthBytes: bytes,
    compression: text,
    md5,
    storedBytes: bytes,
    writtenAt: time,
  }),
  BackupCompleted: object({ backupId: id, objectCount: count, sizeBytes: bytes, storedBytes: bytes, completedAt: time }),
  BackupFailed: object({ backupId: id, reason, failedAt: time }),
  BackupDeletionRequested: object({ backupId: id, force: boolean, previousStatus: text, requestedAt: time }),
  BackupCancelled: object({ backupId: id, cancelledAt: time }),
  BackupDeleted: object({ backupId: id, deletedAt: time }),
  BackupDeletionFailed: object({ backupId: id, reason, failedAt: time }),
  BackupStatusReset: object({ backupId: id, status: literal('available', 'error'), previousStatus: text, resetAt: time }),
  BackupUpdated: object({
    backupId: id,
    name: optional(nullable(text)),
    description: optional(nullable(text)),
    metadata: optional(metadata),
    updatedAt: time,
  }),
  RestoreRequested: object({ backupId: id, volumeId: id, volumeIsNew: boolean, requestedAt: time }),
  RestoreCompleted: object({ backupId: id, volumeId: id, bytesWritten: bytes, completedAt: time }),
  RestoreFailed: object({ backupId: id, volumeId: id, reason, failedAt: time }),
  RestoreCancelled: object({ backupId: id, volumeId: id, cancelledAt: time }),
  BackupImported: object({
    backupId: id,
    projectId: text,
    userId: text,
    volumeId: reference,
    snapshotId: nullable(reference),
    parentId: nullable(reference),
    name: nullable(text),
    description: nullable(text),
    container: nullable(container),
    objectPrefix: nullable(string({ maxLength: 1024 })),
    service: text,
    availabilityZone: nullable(text),
    sizeGb,
    objectCount: count,
    metadata,
    encryptionKeyId: nullable(text),
    createdAt: time,
    dataTimestamp: time,
    status: literal('available', 'error'),
    failReason: nullable(reason),
    source: literal('record', 'repository'),
    importedAt: time,
    claimsQuota: optional(literal(true)),
  }),
  BackupRecordExported: object({ backupId: id, backupService: text, exportedAt: time }),
  BackupVerificationRequested: object({ backupId: id, verificationId: id, requestedAt: time }),
  BackupVerified: object({
    backupId: id,
    verificationId: id,
    chain: list(reference, { maxItems: 100_000 }),
    objects: count,
    blocks: count,
    verifiedAt: time,
  }),
  BackupVerificationFailed: object({
    backupId: id,
    verificationId: id,
    reason,
    object: nullable(string({ maxLength: 1024 })),
    blockIndex: nullable(count),
    failedAt: time,
  }),
  RestoreProgressed: object({
    backupId: id,
    volumeId: id,
    objectsDone: count,
    bytesDone: bytes,
    bytesTotal: bytes,
    progressedAt: time,
  }),
  BackupChildAdded: object({ backupId: id, childId: id, addedAt: time }),
  BackupChildRemoved: object({ backupId: id, childId: id, removedAt: time }),
};

const VOLUME_SCHEMAS: SchemasOf<VolumeEvent> = {
  VolumeCreated: object({
    volumeId: id,
    projectId: text,
    userId: text,
    name: nullable(text),
    description: nullable(text),
    sizeGb,
    availabilityZone: text,
    volumeType: nullable(text),
    volumeTypeId: optional(id),
    encryptionKeyId: nullable(text),
    metadata,
    source: tagged('kind', {
      blank: object({ kind: literal('blank') }),
      managed: object({ kind: literal('managed'), ref: string({ minLength: 1, maxLength: 4096 }) }),
      backup: object({ kind: literal('backup'), backupId: id }),
      snapshot: object({ kind: literal('snapshot'), snapshotId: id }),
      volume: object({ kind: literal('volume'), volumeId: id }),
    }),
    createdAt: time,
    restoreOf: optional(object({ backupId: id })),
  }),
  VolumeProvisioned: object({ volumeId: id, location, sizeGb, provisionedAt: time }),
  VolumeProvisioningFailed: object({ volumeId: id, reason, failedAt: time }),
  VolumeAttached: object({
    volumeId: id,
    instanceUuid: nullable(text),
    hostName: nullable(text),
    mountpoint: nullable(text),
    attachedAt: time,
  }),
  VolumeDetached: object({ volumeId: id, detachedAt: time }),
  VolumeBackupStarted: object({
    volumeId: id,
    backupId: id,
    previousStatus: literal('available', 'in-use'),
    startedAt: time,
    backup: optional(backupRequested),
  }),
  VolumeBackupEnded: object({
    volumeId: id,
    backupId: id,
    outcome: backupOutcome,
    status: literal('available', 'in-use'),
    endedAt: time,
  }),
  VolumeRestoreStarted: object({ volumeId: id, backupId: id, startedAt: time, volumeIsNew: optional(boolean) }),
  VolumeRestoreEnded: object({
    volumeId: id,
    backupId: id,
    outcome: literal('completed', 'failed', 'cancelled', 'aborted'),
    status: literal('available', 'error_restoring', 'error'),
    endedAt: time,
  }),
  VolumeUpdated: object({
    volumeId: id,
    name: optional(nullable(text)),
    description: optional(nullable(text)),
    metadata: optional(metadata),
    updatedAt: time,
  }),
  VolumeDeletionRequested: object({ volumeId: id, requestedAt: time, stopsRestoreOf: optional(id) }),
  VolumeDeleted: object({ volumeId: id, deletedAt: time }),
  VolumeDeletionFailed: object({ volumeId: id, reason, failedAt: time }),
  VolumeReserved: object({ volumeId: id, reservedAt: time }),
  VolumeUnreserved: object({ volumeId: id, status: literal('available', 'in-use'), unreservedAt: time }),
  VolumeDetachingStarted: object({ volumeId: id, startedAt: time }),
  VolumeDetachingRolledBack: object({ volumeId: id, rolledBackAt: time }),
  VolumeExtendRequested: object({
    volumeId: id,
    newSizeGb: integer({ min: 1, max: DB_MAX_INT }),
    previousStatus: literal('available', 'in-use'),
    requestedAt: time,
  }),
  VolumeExtended: object({
    volumeId: id,
    sizeGb: integer({ min: 1, max: DB_MAX_INT }),
    sizeBytes: bytes,
    status: literal('available', 'in-use'),
    extendedAt: time,
  }),
  VolumeExtendFailed: object({ volumeId: id, reason, failedAt: time }),
  VolumeBootableSet: object({ volumeId: id, bootable: boolean, setAt: time }),
  VolumeReadonlyFlagUpdated: object({ volumeId: id, readonly: boolean, updatedAt: time }),
  VolumeCopyProgressed: object({ volumeId: id, bytesDone: bytes, bytesTotal: bytes, progressedAt: time }),
  VolumeMetadataRestored: object({
    volumeId: id,
    backupId: id,
    name: optional(nullable(text)),
    description: optional(nullable(text)),
    metadata: optional(metadata),
    restoredAt: time,
  }),
};

const SNAPSHOT_SCHEMAS: SchemasOf<SnapshotEvent> = {
  SnapshotCreated: object({
    snapshotId: id,
    volumeId: id,
    projectId: text,
    userId: text,
    name: nullable(text),
    description: nullable(text),
    sizeGb,
    metadata,
    createdAt: time,
  }),
  SnapshotProvisioned: object({ snapshotId: id, location, provisionedAt: time }),
  SnapshotProvisioningFailed: object({ snapshotId: id, reason, failedAt: time }),
  SnapshotBackupStarted: object({ snapshotId: id, backupId: id, startedAt: time, backup: optional(backupRequested) }),
  SnapshotBackupEnded: object({ snapshotId: id, backupId: id, outcome: backupOutcome, endedAt: time }),
  SnapshotDeletionRequested: object({ snapshotId: id, requestedAt: time }),
  SnapshotDeleted: object({ snapshotId: id, deletedAt: time }),
  SnapshotDeletionFailed: object({ snapshotId: id, reason, failedAt: time }),
};

/** Cinder's `extra_specs_with_null`: keys of its metadata pattern, values text or null. */
const extraSpecs = record(
  string({ minLength: 1, maxLength: MAX_TEXT_LENGTH, pattern: METADATA_KEY, patternName: "a key of Cinder's extra specs pattern" }),
  nullable(text),
  { maxKeys: MAX_METADATA_ITEMS },
);
const typeName = string({ minLength: 1, maxLength: MAX_TEXT_LENGTH });
const controlLocation = literal('front-end', 'back-end');
const keySize = nullable(integer({ min: 0, max: DB_MAX_INT }));

const VOLUME_TYPE_SCHEMAS: SchemasOf<VolumeTypeEvent> = {
  VolumeTypeCreated: object({
    volumeTypeId: id,
    name: typeName,
    description: nullable(text),
    isPublic: boolean,
    extraSpecs,
    createdAt: time,
  }),
  VolumeTypeUpdated: object({
    volumeTypeId: id,
    name: optional(typeName),
    description: optional(text),
    isPublic: optional(boolean),
    updatedAt: time,
  }),
  VolumeTypeDeleted: object({ volumeTypeId: id, deletedAt: time }),
  VolumeTypeExtraSpecsSet: object({ volumeTypeId: id, extraSpecs, setAt: time }),
  VolumeTypeExtraSpecsUnset: object({
    volumeTypeId: id,
    keys: list(string({ minLength: 1, maxLength: MAX_TEXT_LENGTH }), { maxItems: MAX_METADATA_ITEMS }),
    unsetAt: time,
  }),
  VolumeTypeEncryptionCreated: object({
    volumeTypeId: id,
    encryptionId: id,
    provider: text,
    controlLocation,
    cipher: nullable(text),
    keySize,
    createdAt: time,
  }),
  VolumeTypeEncryptionUpdated: object({
    volumeTypeId: id,
    provider: optional(text),
    controlLocation: optional(controlLocation),
    cipher: optional(nullable(text)),
    keySize: optional(keySize),
    updatedAt: time,
  }),
  VolumeTypeEncryptionDeleted: object({ volumeTypeId: id, deletedAt: time }),
  VolumeTypeAccessAdded: object({ volumeTypeId: id, projectId: reference, addedAt: time }),
  VolumeTypeAccessRemoved: object({ volumeTypeId: id, projectId: reference, removedAt: time }),
};

const USER_MESSAGE_SCHEMAS: SchemasOf<UserMessageEvent> = {
  UserMessageDeleted: object({ messageId: id, deletedAt: time }),
};

/** Each resource at most once; amounts a claim takes are never negative, limits may be -1 (unlimited). */
const quotaAmounts = (min: number) => {
  const value = optional(integer({ min, max: DB_MAX_INT }));
  return object({ volumes: value, gigabytes: value, snapshots: value, backups: value, backup_gigabytes: value });
};
const quotaSubject = object({ kind: literal('backup', 'volume', 'snapshot'), id });
const quotaResource = literal('volumes', 'gigabytes', 'snapshots', 'backups', 'backup_gigabytes');
const claimId = string({ minLength: 1, maxLength: 128 });

const QUOTA_SCHEMAS: SchemasOf<QuotaEvent> = {
  QuotaReserved: object({ projectId: reference, claimId, subject: quotaSubject, amounts: quotaAmounts(0), reservedAt: time }),
  QuotaReservationRefused: object({
    projectId: reference,
    claimId,
    subject: quotaSubject,
    amounts: quotaAmounts(0),
    over: quotaResource,
    limit: integer({ min: -1, max: DB_MAX_INT }),
    consumed: integer({ min: 0, max: MAX_BYTES }),
    refusedAt: time,
  }),
  QuotaCommitted: object({ projectId: reference, claimId, committedAt: time }),
  QuotaReleased: object({ projectId: reference, claimId, releasedAt: time }),
  QuotaLimitsUpdated: object({ projectId: reference, limits: quotaAmounts(-1), updatedAt: time }),
  QuotaLimitsReset: object({ projectId: reference, resetAt: time }),
  QuotaClassLimitsUpdated: object({ className: reference, limits: quotaAmounts(-1), updatedAt: time }),
};

const LEASE_SCHEMAS: SchemasOf<JobLeaseEvent> = {
  JobLeaseAcquired: object({ subject: jobSubject, workerId: text, expiresAt: time, acquiredAt: time, takenOverFrom: nullable(text) }),
  JobLeaseRenewed: object({ subject: jobSubject, workerId: text, expiresAt: time, renewedAt: time }),
  JobLeaseReleased: object({ subject: jobSubject, workerId: text, releasedAt: time }),
};

/** A log position as decimal text (EventStoreDB's are 64-bit, beyond a JSON number). */
const position = string({ minLength: 1, maxLength: 20, pattern: /^[1-9][0-9]*$/, patternName: 'a positive integer' });

const NOTIFIER_SCHEMAS: SchemasOf<NotifierEvent> = {
  NotificationsPublished: object({ through: position, notifications: count, workerId: text, publishedAt: time }),
};

/** Cinder's host pattern (`parameter_types.cinder_host`) and its 255 characters. */
const serviceHost = string({ minLength: 1, maxLength: 255, pattern: /^[a-zA-Z0-9-._#@:/+[\]]+$/, patternName: "Cinder's host pattern" });
const serviceBinary = literal('cinder-volume', 'cinder-backup');
const SERVICE_SCHEMAS: SchemasOf<ServiceEvent> = {
  ServiceRegistered: object({
    host: serviceHost,
    binary: serviceBinary,
    zone: string({ minLength: 1, maxLength: 255 }),
    registeredAt: time,
  }),
  ServiceDisabled: object({
    host: serviceHost,
    binary: serviceBinary,
    disabledReason: nullable(string({ minLength: 1, maxLength: 255 })),
    disabledAt: time,
  }),
  ServiceEnabled: object({ host: serviceHost, binary: serviceBinary, enabledAt: time }),
};

const importId = string({ minLength: 64, maxLength: 64, pattern: /^[0-9a-f]{64}$/, patternName: 'a SHA-256 in hex' });
const IMPORT_SCHEMAS: SchemasOf<CatalogImportEvent> = {
  CatalogImportStarted: object({ importId, events: count, startedAt: time }),
  CatalogImportCompleted: object({ importId, appended: count, completedAt: time }),
};

export interface EventSchema {
  /** Bumped when a stored shape changes incompatibly (with an upcaster for the old one). */
  readonly version: number;
  readonly data: Pick<Schema<unknown>, 'check' | 'maxJsonBytes'>;
}

const versioned = (schemas: Readonly<Record<string, Pick<Schema<unknown>, 'check' | 'maxJsonBytes'>>>): Record<string, EventSchema> =>
  Object.fromEntries(Object.entries(schemas).map(([type, data]) => [type, { version: 1, data }]));

/** Every event type Strata records, by type name. */
export const EVENT_SCHEMAS: Readonly<Record<string, EventSchema>> = {
  ...versioned(BACKUP_SCHEMAS),
  ...versioned(VOLUME_SCHEMAS),
  ...versioned(SNAPSHOT_SCHEMAS),
  ...versioned(VOLUME_TYPE_SCHEMAS),
  ...versioned(USER_MESSAGE_SCHEMAS),
  ...versioned(QUOTA_SCHEMAS),
  ...versioned(LEASE_SCHEMAS),
  ...versioned(NOTIFIER_SCHEMAS),
  ...versioned(SERVICE_SCHEMAS),
  ...versioned(IMPORT_SCHEMAS),
};

/**
 * The longest data of any event Strata records, as JSON (every character escaped, no whitespace): a reader
 * of a file of events needs to hold no longer line than this and its envelope. `BackupVerified`'s chain of
 * up to 100,000 references makes it about 153 MB.
 */
export const MAX_EVENT_DATA_JSON_BYTES = Math.max(...Object.values(EVENT_SCHEMAS).map((schema) => schema.data.maxJsonBytes));

/** The longest event type name. */
export const MAX_EVENT_TYPE_LENGTH = Math.max(...Object.keys(EVENT_SCHEMAS).map((type) => type.length));

/** The first thing wrong with an event, `data.`-prefixed path and all; null when it fits its schema. */
export const eventViolation = (type: string, data: unknown): SchemaViolation | null => {
  const schema = Object.prototype.hasOwnProperty.call(EVENT_SCHEMAS, type) ? EVENT_SCHEMAS[type] : undefined;
  if (!schema) return { path: 'type', message: `${JSON.stringify(type.slice(0, 80))} is not an event type this Strata records` };
  return schema.data.check(data, 'data');
};
