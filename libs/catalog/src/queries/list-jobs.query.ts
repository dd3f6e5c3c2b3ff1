import type { CatalogDatabase } from '../schema/catalog-database';
import { toJobRow, type JobRow } from './job-row';
import { prepared } from './prepared';
import { scopeClause, type Scope } from './scope';

/** Every running job, oldest first; with a scope, only those on backups of that project. */
export const listJobs = (db: CatalogDatabase, scope?: Scope): JobRow[] => {
  const scoped = scope ? scopeClause('b.project_id', scope) : { sql: '1', params: {} };
  return (
    prepared(
      db,
      `SELECT j.* FROM jobs j LEFT JOIN backups b ON b.id = j.backup_id
     WHERE ${scope ? scoped.sql : '1'} ORDER BY j.started_at, j.backup_id, j.kind`,
    ).all(scoped.params) as Record<string, unknown>[]
  ).map(toJobRow);
};
