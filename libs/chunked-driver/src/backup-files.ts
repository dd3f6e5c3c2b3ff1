import { BackupObjectListMismatch, MissingBackupObject } from './errors';
import { type BackupMetadata, parseMetadata } from './metadata-file';
import { dataObjectIndex, metadataObjectName, sha256ObjectName } from './object-names';
import type { BackupRepository } from './repository.port';
import { parseSha256File, type Sha256File } from './sha256-file';

/** Where one backup's objects live. */
export interface BackupLocation {
  readonly container: string;
  readonly prefix: string;
  /** Where this backup lives when it is not the repository the operation was given (a chain across drivers). */
  readonly repository?: BackupRepository;
}

const MAX_JSON_BYTES = 1 << 30;

const readText = async (repository: BackupRepository, container: string, object: string): Promise<string> => {
  const reader = await repository.openReader(container, object);
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of reader) {
    total += (chunk as Buffer).length;
    if (total > MAX_JSON_BYTES) throw new Error(`${object} is larger than ${MAX_JSON_BYTES} bytes`);
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts).toString('utf8');
};

/** Writes a small object (the JSON files) in one piece; resolves once it is durable. */
export const writeSmallObject = (repository: BackupRepository, container: string, object: string, text: string | Buffer): Promise<void> =>
  repository.putObject(container, object, typeof text === 'string' ? Buffer.from(text, 'utf8') : text);

export const readBackupMetadata = async (repository: BackupRepository, container: string, prefix: string): Promise<BackupMetadata> => {
  const name = metadataObjectName(prefix);
  return parseMetadata(await readText(repository, container, name), name);
};

export const readSha256File = async (repository: BackupRepository, container: string, prefix: string): Promise<Sha256File> => {
  const name = sha256ObjectName(prefix);
  return parseSha256File(await readText(repository, container, name), name);
};

/**
 * Cinder's integrity check before restoring a backup: the listing, without the two JSON files, must be
 * exactly the objects in `_metadata`. A recorded object that is absent is reported by name.
 */
export const checkObjectList = async (repository: BackupRepository, at: BackupLocation, metadata: BackupMetadata): Promise<void> => {
  const skip = new Set([metadataObjectName(at.prefix), sha256ObjectName(at.prefix)]);
  const listed = new Set<string>();
  for await (const name of repository.list(at.container, at.prefix)) if (!skip.has(name)) listed.add(name);
  const recorded = new Set(metadata.objects.map((o) => o.name));
  const missing = [...recorded].filter((n) => !listed.has(n));
  if (missing.length > 0) throw new MissingBackupObject(at.container, missing[0] as string);
  const unexpected = [...listed].filter((n) => !recorded.has(n));
  if (unexpected.length > 0) throw new BackupObjectListMismatch(at.container, unexpected);
};

/** Data objects under the prefix that the final object list does not mention (left by a crash). */
export const listOrphanObjects = async (repository: BackupRepository, at: BackupLocation, keep: ReadonlySet<string>): Promise<string[]> => {
  const orphans: string[] = [];
  for await (const name of repository.list(at.container, at.prefix))
    if (dataObjectIndex(at.prefix, name) !== null && !keep.has(name)) orphans.push(name);
  return orphans;
};
