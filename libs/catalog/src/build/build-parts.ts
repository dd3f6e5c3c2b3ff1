import {
  CATALOG_PROJECTIONS,
  auditProjection,
  backupChildrenProjection,
  backupsProjection,
  messagesProjection,
  snapshotsProjection,
  volumesProjection,
} from '../projections';
import { auditReadingVolumesFrom } from '../projections/audit.projection';
import type { Projection } from '../projections/projection';
import type { CatalogDatabase } from '../schema/catalog-database';
import type { ReadModelTable } from '../schema/migrations';
import { BACKUP_VOLUMES, backupVolumesProjection, createBackupVolumes } from './backup-volumes.projection';

/**
 * A catalog built from position 0 is built in two parts at once, each on a thread of its own over a file of
 * its own, then merged: the second part's tables are copied into the first part's file. A table is written
 * by one part only, and each part applies the whole log in its order, so each table ends as a build with
 * every projection leaves it. `build-parts.spec.ts` holds the merged file to a one-thread build's, table
 * by table, on a seeded history and on the edge cases of the lookups below.
 *
 * The backups' rows (with their history and totals, kept by triggers) are about 40% of a build's work, the
 * audit about a fifth, and both read rows of other tables: the audit a backup's or a snapshot's volume, the
 * user messages the project of a backup, volume or snapshot. The parts are split so that the work is
 * about even: the first keeps the backups, their children, the volumes, the snapshots and the messages;
 * the second the audit, the jobs, the operation totals, the volume types, the services, the quotas and the
 * imports. For the audit's lookups the second part also applies the snapshots' projection (into its own
 * file's `snapshots`, which the merge does not copy) and keeps each backup's volume in a table of its
 * connection (`backupVolumesProjection`).
 */
export type BuildPartName = 'backups' | 'others';

const FIRST: ReadonlySet<Projection> = new Set<Projection>([
  backupsProjection,
  backupChildrenProjection,
  volumesProjection,
  snapshotsProjection,
  messagesProjection,
]);

const PARTS: Readonly<Record<BuildPartName, readonly Projection[]>> = {
  backups: CATALOG_PROJECTIONS.filter((projection) => FIRST.has(projection)),
  others: [
    // The lookups first, as the projections they follow come before the audit in a whole build.
    backupVolumesProjection,
    snapshotsProjection,
    ...CATALOG_PROJECTIONS.filter((projection) => !FIRST.has(projection)).map((projection) =>
      projection === auditProjection ? auditReadingVolumesFrom(BACKUP_VOLUMES) : projection,
    ),
  ],
};

/** The projections of a part, in the order a build applies them to each event. */
export const partProjections = (part: BuildPartName): readonly Projection[] => PARTS[part];

/** What a part's connection needs before its first event. */
export const preparePart = (part: BuildPartName, db: CatalogDatabase): void => {
  if (part === 'others') createBackupVolumes(db);
};

/** The tables the second part writes and the merge copies into the first part's file. */
export const OTHERS_TABLES: readonly ReadModelTable[] = [
  'audit',
  'jobs',
  'operation_totals',
  'job_starts',
  'job_outcomes',
  'job_duration_buckets',
  'job_duration_sums',
  'volume_types',
  'volume_type_extra_specs',
  'volume_type_encryption',
  'volume_type_projects',
  'services',
  'quota_limits',
  'quota_class_limits',
  'quota_claims',
  'catalog_imports',
];
