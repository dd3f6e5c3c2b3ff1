import { MalformedBackupFile, UnsupportedBackupVersion } from './errors';
import { pythonUtcDatetimeString } from './python-datetime';
import { type PythonJson, pythonJsonDumps } from './python-json';

export const DRIVER_VERSION = '1.0.0';

/** The header every backup carries; `createdAt` is an ISO string, `volumeMeta` JSON text (stored double-encoded). */
export interface BackupHeader {
  readonly backupId: string;
  readonly volumeId: string;
  readonly name: string | null;
  readonly description: string | null;
  readonly createdAt: string;
  readonly volumeMeta: string | null;
  readonly parentId: string | null;
}

/** One data object as recorded in `_metadata`; `lengthBytes` and `md5` are of the uncompressed bytes. */
export interface WrittenObject {
  readonly name: string;
  readonly offsetBytes: number;
  readonly lengthBytes: number;
  readonly compression: string;
  readonly md5: string;
}

export interface BackupMetadata {
  readonly version: string;
  readonly backupId: string;
  readonly volumeId: string;
  readonly name: string | null;
  readonly description: string | null;
  /** As stored: Python's `str(datetime)`. */
  readonly createdAt: string;
  readonly objects: readonly WrittenObject[];
  readonly parentId: string | null;
  readonly volumeMeta: string | null;
}

/** Cinder's `_metadata`, byte for byte. */
export const serializeMetadata = (header: BackupHeader, objects: readonly WrittenObject[]): string =>
  pythonJsonDumps({
    backup_description: header.description,
    backup_id: header.backupId,
    backup_name: header.name,
    created_at: pythonUtcDatetimeString(header.createdAt),
    objects: objects.map((o) => ({
      [o.name]: { compression: o.compression, length: o.lengthBytes, md5: o.md5, offset: o.offsetBytes },
    })),
    parent_id: header.parentId,
    version: DRIVER_VERSION,
    volume_id: header.volumeId,
    volume_meta: header.volumeMeta,
  });

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export const parseJsonObject = (text: string, object: string): Json => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new MalformedBackupFile(object, `not JSON (${(e as Error).message})`);
  }
  if (!isRecord(parsed)) throw new MalformedBackupFile(object, 'not a JSON object');
  return parsed;
};

export const field = <T>(doc: Json, key: string, object: string, check: (v: unknown) => v is T, what: string): T => {
  const v = doc[key];
  if (!check(v)) throw new MalformedBackupFile(object, `"${key}" must be ${what}`);
  return v;
};
export const isString = (v: unknown): v is string => typeof v === 'string';
export const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';
export const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

const parseObjectEntry = (entry: unknown, object: string): WrittenObject => {
  if (!isRecord(entry) || Object.keys(entry).length !== 1) throw new MalformedBackupFile(object, 'each "objects" item must have one key');
  const [name, info] = Object.entries(entry)[0] as [string, unknown];
  if (!isRecord(info)) throw new MalformedBackupFile(object, `object ${name} has no description`);
  return {
    name,
    offsetBytes: field(info, 'offset', object, isCount, 'a byte offset'),
    lengthBytes: field(info, 'length', object, isCount, 'a byte length'),
    compression: field(info, 'compression', object, isString, 'a string'),
    md5: field(info, 'md5', object, isString, 'a string'),
  };
};

/** Reads `_metadata`, dispatching on its version (only 1.0.0 exists). */
export const parseMetadata = (text: string, object = '_metadata'): BackupMetadata => {
  const doc = parseJsonObject(text, object);
  if (doc['version'] !== DRIVER_VERSION) throw new UnsupportedBackupVersion(doc['version']);
  const objects = doc['objects'];
  if (!Array.isArray(objects)) throw new MalformedBackupFile(object, '"objects" must be a list');
  const volumeMeta = doc['volume_meta'] === undefined ? null : doc['volume_meta'];
  if (!isNullableString(volumeMeta)) throw new MalformedBackupFile(object, '"volume_meta" must be a string or null');
  return {
    version: DRIVER_VERSION,
    backupId: field(doc, 'backup_id', object, isString, 'a string'),
    volumeId: field(doc, 'volume_id', object, isString, 'a string'),
    name: field(doc, 'backup_name', object, isNullableString, 'a string or null'),
    description: field(doc, 'backup_description', object, isNullableString, 'a string or null'),
    createdAt: field(doc, 'created_at', object, isString, 'a string'),
    objects: objects.map((o) => parseObjectEntry(o, object)),
    parentId: doc['parent_id'] === undefined ? null : field(doc, 'parent_id', object, isNullableString, 'a string or null'),
    volumeMeta,
  };
};

export type { PythonJson };
