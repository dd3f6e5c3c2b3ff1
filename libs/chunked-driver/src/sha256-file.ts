import { type BackupHeader, DRIVER_VERSION, field, isCount, isNullableString, isString, parseJsonObject } from './metadata-file';
import { MalformedBackupFile, UnsupportedBackupVersion } from './errors';
import { pythonUtcDatetimeString } from './python-datetime';
import { pythonJsonBytes, pythonJsonDumps } from './python-json';

/** Cinder's `_sha256file`: one SHA-256 per block of the whole volume as it was at this backup. */
export interface Sha256File {
  readonly version: string;
  readonly backupId: string;
  readonly volumeId: string;
  readonly name: string | null;
  readonly description: string | null;
  readonly createdAt: string;
  /** Stored as `chunk_size`, but it is the SHA block size. */
  readonly blockSizeBytes: number;
  readonly sha256s: readonly string[];
}

/** What `json.dumps` writes for a `_sha256file`. */
const sha256FileDocument = (header: BackupHeader, blockSizeBytes: number, sha256s: readonly string[]) => ({
  backup_description: header.description,
  backup_id: header.backupId,
  backup_name: header.name,
  chunk_size: blockSizeBytes,
  created_at: pythonUtcDatetimeString(header.createdAt),
  sha256s,
  version: DRIVER_VERSION,
  volume_id: header.volumeId,
});

export const serializeSha256File = (header: BackupHeader, blockSizeBytes: number, sha256s: readonly string[]): string =>
  pythonJsonDumps(sha256FileDocument(header, blockSizeBytes, sha256s));

/** Its UTF-8 bytes, as a backup writes them: the digests laid straight into one buffer (`pythonJsonBytes`). */
export const sha256FileBytes = (header: BackupHeader, blockSizeBytes: number, sha256s: readonly string[]): Buffer =>
  pythonJsonBytes(sha256FileDocument(header, blockSizeBytes, sha256s));

const isHexList = (v: unknown): v is string[] => Array.isArray(v) && v.every((h) => typeof h === 'string');

export const parseSha256File = (text: string, object = '_sha256file'): Sha256File => {
  const doc = parseJsonObject(text, object);
  if (doc['version'] !== DRIVER_VERSION) throw new UnsupportedBackupVersion(doc['version']);
  const blockSizeBytes = field(doc, 'chunk_size', object, isCount, 'a block size');
  if (blockSizeBytes === 0) throw new MalformedBackupFile(object, '"chunk_size" must be positive');
  return {
    version: DRIVER_VERSION,
    backupId: field(doc, 'backup_id', object, isString, 'a string'),
    volumeId: field(doc, 'volume_id', object, isString, 'a string'),
    name: field(doc, 'backup_name', object, isNullableString, 'a string or null'),
    description: field(doc, 'backup_description', object, isNullableString, 'a string or null'),
    createdAt: field(doc, 'created_at', object, isString, 'a string'),
    blockSizeBytes,
    sha256s: field(doc, 'sha256s', object, isHexList, 'a list of hex digests'),
  };
};
