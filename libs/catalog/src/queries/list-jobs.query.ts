import type { CatalogDatabase } from '../schema/catalog-database';
import { toJobRow, type JobRow } from './job-row';
import { prepared } from './prepared';

/** Every running job, oldest first. */
export const listJobs = (db: CatalogDatabase): JobRow[] =>
  (prepared(db, 'SELECT * FROM jobs ORDER BY started_at, backup_id, kind').all() as Record<string, unknown>[]).map(toJobRow);
