import { resolve } from 'node:path';
import type { StrataOptions } from './strata-options';

/** A file or directory of Strata's own, and the option that put it there (named in refusals). */
export interface OwnStatePath {
  readonly option: string;
  readonly path: string;
}

/** SQLite keeps a database in up to four files; all of them are the database. */
const SQLITE_SUFFIXES = ['', '-wal', '-shm', '-journal'];

const sqliteFiles = (option: string, path: string): OwnStatePath[] => SQLITE_SUFFIXES.map((suffix) => ({ option, path: path + suffix }));

/**
 * A catalog file, the new one a rebuild writes beside it before the swap, and the old one the swap moves
 * aside while it is removed.
 */
const catalogFiles = (option: string, path: string): OwnStatePath[] => [
  ...sqliteFiles(option, path),
  ...sqliteFiles(option, `${path}.rebuild`),
  ...sqliteFiles(option, `${path}.old`),
];

/**
 * Where Strata keeps its own state. None of it may ever become a volume: a backup of it would hand the
 * event log or the tokens to a project, and a restore into it would overwrite the service's memory.
 * Each path covers everything beneath it.
 */
export const ownStatePaths = (o: StrataOptions): OwnStatePath[] => [
  // Files first, then the directories around them: a refusal names the most precise one.
  ...(o.event_store.startsWith('sqlite:') ? sqliteFiles('event_store', o.event_store.slice('sqlite:'.length)) : []),
  ...catalogFiles('catalog_path', o.catalog_path),
  ...(isFile(o.worker_catalog_path) ? catalogFiles('worker_catalog_path', resolve(o.worker_catalog_path)) : []),
  ...(o.token_file ? [{ option: 'token_file', path: resolve(o.token_file) }] : []),
  // An NFS share given as a local path is an image or directory holding the repository.
  ...(o.backup_share.startsWith('/') ? [{ option: 'backup_share', path: o.backup_share }] : []),
  { option: 'volumes_path', path: o.volumes_path },
  { option: 'backup_posix_path', path: o.backup_posix_path },
  { option: 'backup_mount_point_base', path: o.backup_mount_point_base },
  { option: 'state_path', path: o.state_path },
];

/** `:memory:` (the default) and SQLite's `file::memory:` URIs are no file at all. */
const isFile = (sqlitePath: string) => sqlitePath !== '' && !sqlitePath.includes(':memory:');

/** What the volume provider needs to decide what Cinder's manage API may adopt. */
export const managedPathPolicyOf = (o: StrataOptions) => ({
  managedVolumePaths: o.managed_volume_paths,
  ownPaths: ownStatePaths(o),
});
