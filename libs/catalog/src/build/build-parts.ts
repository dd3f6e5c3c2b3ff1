import {
  CATALOG_PROJECTIONS,
  auditProjection,
  backupChildrenProjection,
  backupsProjection,
  messagesProjection,
  snapshotsProjection,
} from '../projections';
import { auditReadingVolumesFrom } from '../projections/audit.projection';
import { messagesReadingBackupsFrom } from '../projections/messages.projection';
import type { Projection } from '../projections/projection';
import type { CatalogDatabase } from '../schema/catalog-database';
import { READ_MODEL_TABLES, type ReadModelTable } from '../schema/migrations';
import { BACKUP_OWNERS, backupOwnersProjection, createBackupOwners } from './backup-owners.projection';

/**
 * A catalog built from position 0 is built in two parts at once, each on a thread of its own over a file of
 * its own, then merged: the second part's tables are copied into the first part's file. A table is written
 * by one part only, and each part applies the whole log in its order, so each table ends as a build with
 * every projection leaves it. `build-parts.spec.ts` holds the merged file to a one-thread build's, table
 * by table, on a seeded history and on the edge cases of the lookups below.
 *
 * The backups' rows (with their history and totals, kept by triggers), their children and the snapshots
 * are the first part, about half of a build's work; the volumes, the jobs, the audit, the operation totals,
 * the volume types, the user messages, the services, the quotas and the imports the second. The audit
 * reads a backup's or a snapshot's volume, and a message the project of its backup, volume or snapshot:
 * for those lookups the second part also applies the snapshots' projection (into its own file's
 * `snapshots`, which the merge does not copy) and keeps each backup's volume and project in a table of
 * its connection (`backupOwnersProjection`). Each part alone over a million events (offline, 2026-12-07):
 * the first 12.3 s and its indexes 0.8 s, the second 12.0 s and 1.6 s; the two at once 17.3–17.9 s,
 * against 23.5–23.8 s for a build on one thread, and 17.9–19.2 s with the volumes and the messages in the
 * first part (then 14.7 s and 1.2 s alone, the second 10.4 s and 2.3 s).
 */
export type BuildPartName = 'backups' | 'others';

const FIRST: ReadonlySet<Projection> = new Set<Projection>([backupsProjection, backupChildrenProjection, snapshotsProjection]);

/** The projections of the second part that read a backup's row, with what they read in its place there. */
const READING_OWNERS = new Map<Projection, Projection>([
  [auditProjection, auditReadingVolumesFrom(BACKUP_OWNERS)],
  [messagesProjection, messagesReadingBackupsFrom(BACKUP_OWNERS)],
]);

const PARTS: Readonly<Record<BuildPartName, readonly Projection[]>> = {
  backups: CATALOG_PROJECTIONS.filter((projection) => FIRST.has(projection)),
  // The lookups where the projections they follow are in a whole build: before those that read them.
  others: [
    backupOwnersProjection,
    ...CATALOG_PROJECTIONS.filter((projection) => !FIRST.has(projection) || projection === snapshotsProjection).map(
      (projection) => READING_OWNERS.get(projection) ?? projection,
    ),
  ],
};

/** The projections of a part, in the order a build applies them to each event. */
export const partProjections = (part: BuildPartName): readonly Projection[] => PARTS[part];

/** What a part's connection needs before its first event. */
export const preparePart = (part: BuildPartName, db: CatalogDatabase): void => {
  if (part === 'others') createBackupOwners(db);
};

/** The first part's tables (its projections' and their triggers'), and the file's own bookkeeping: kept by the merge. */
const FIRST_TABLES: ReadonlySet<ReadModelTable> = new Set<ReadModelTable>([
  'backups',
  'backup_versions',
  'backup_versions_latest',
  'backup_status_totals',
  'backup_children',
  'snapshots',
  // The same checkpoint in both files; no parked event in either (a park makes the build whole).
  'projection_checkpoints',
  'projection_failures',
]);

/**
 * Every other read model, which the second part writes and the merge copies into the first part's file. A
 * read model added later goes there, as its projection goes to the second part unless put in the first.
 */
export const OTHERS_TABLES: readonly ReadModelTable[] = (Object.keys(READ_MODEL_TABLES) as ReadModelTable[]).filter(
  (table) => !FIRST_TABLES.has(table),
);
