import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/** One backup's objects found in one directory of a posix repository. */
export interface ScannedBackup {
  /** The directory, relative to the repository root: the backup's container. */
  readonly container: string;
  readonly prefix: string;
  /** From the prefix (`…_backup_<id>`), when it has Cinder's shape. */
  readonly backupId: string | null;
  readonly hasMetadata: boolean;
  readonly hasSha256File: boolean;
  readonly dataObjects: number;
}

const METADATA = '_metadata';
const SHA256FILE = '_sha256file';
const DATA_OBJECT = /^(.+)-\d{5,}$/;
const BACKUP_ID = /_backup_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The prefix an object name belongs to, or null for a file that is not a backup object. */
const prefixOf = (name: string): { prefix: string; kind: 'metadata' | 'sha' | 'data' } | null => {
  if (name.endsWith(METADATA)) return { prefix: name.slice(0, -METADATA.length), kind: 'metadata' };
  if (name.endsWith(SHA256FILE)) return { prefix: name.slice(0, -SHA256FILE.length), kind: 'sha' };
  const data = DATA_OBJECT.exec(name);
  return data ? { prefix: data[1] as string, kind: 'data' } : null;
};

/**
 * Walks a posix repository (Cinder's layout: any depth of directories, one file per object) and yields
 * each backup found, directory by directory: only one directory's names are held at a time. Whether a
 * backup is complete is the caller's call: Cinder writes `_metadata` last, as the commit marker.
 */
export async function* scanPosixRepository(root: string): AsyncGenerator<ScannedBackup> {
  const pending: string[] = [''];
  while (pending.length > 0) {
    const relative = pending.pop() as string;
    const found = new Map<string, { metadata: boolean; sha: boolean; data: number }>();
    const directory = await fsp.opendir(path.join(root, relative));
    for await (const entry of directory) {
      if (entry.isDirectory()) pending.push(relative ? `${relative}/${entry.name}` : entry.name);
      if (!entry.isFile()) continue;
      const object = prefixOf(entry.name);
      if (!object) continue;
      const seen = found.get(object.prefix) ?? { metadata: false, sha: false, data: 0 };
      if (object.kind === 'metadata') seen.metadata = true;
      else if (object.kind === 'sha') seen.sha = true;
      else seen.data += 1;
      found.set(object.prefix, seen);
    }
    for (const [prefix, seen] of [...found].sort(([a], [b]) => (a < b ? -1 : 1)))
      yield {
        container: relative,
        prefix,
        backupId: BACKUP_ID.exec(prefix)?.[1]?.toLowerCase() ?? null,
        hasMetadata: seen.metadata,
        hasSha256File: seen.sha,
        dataObjects: seen.data,
      };
  }
}
