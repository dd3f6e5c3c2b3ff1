import { pythonUtcDatetimeString, type BackupMetadata, type Sha256File } from '@strata/chunked-driver';
import type { ImportedBackupFields } from '@strata/domain';

const GIB = 1024 ** 3;

/** `volume-base-metadata` of Cinder's double-encoded `volume_meta`, when it is there and readable. */
const volumeBase = (volumeMeta: string | null): Record<string, unknown> => {
  if (!volumeMeta) return {};
  try {
    const base = (JSON.parse(volumeMeta) as Record<string, unknown>)['volume-base-metadata'];
    return typeof base === 'object' && base !== null ? (base as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** Python's `str(datetime)` (`2024-05-06 07:08:09.123456+00:00`) as an ISO string in UTC, microseconds kept; or null. */
const isoOf = (pythonTime: string): string | null => {
  try {
    const utc = pythonUtcDatetimeString(pythonTime);
    return `${utc.slice(0, 10)}T${utc.slice(11, -'+00:00'.length)}Z`;
  } catch {
    return null;
  }
};

/**
 * What a repository scan can say of a backup from its two JSON files: everything Cinder's export record
 * carries except project, user and metadata. The size in GiB comes from the volume's own record in
 * `volume_meta`, else from the number of block hashes (the whole volume, whatever the backup's type).
 */
export const backupFromMetadata = (container: string, prefix: string, metadata: BackupMetadata, sha: Sha256File): ImportedBackupFields => {
  const base = volumeBase(metadata.volumeMeta);
  const recordedSize = typeof base.size === 'number' && Number.isSafeInteger(base.size) && base.size > 0 ? base.size : null;
  const hashedBytes = sha.sha256s.length * sha.blockSizeBytes;
  const createdAt = isoOf(metadata.createdAt);
  return {
    volumeId: metadata.volumeId.toLowerCase(),
    snapshotId: null,
    parentId: metadata.parentId?.toLowerCase() ?? null,
    name: metadata.name,
    description: metadata.description,
    container,
    objectPrefix: prefix,
    sizeGb: recordedSize ?? Math.max(1, Math.ceil(hashedBytes / GIB)),
    objectCount: metadata.objects.length,
    metadata: {},
    encryptionKeyId: typeof base.encryption_key_id === 'string' ? base.encryption_key_id : null,
    createdAt,
    dataTimestamp: createdAt,
  };
};
