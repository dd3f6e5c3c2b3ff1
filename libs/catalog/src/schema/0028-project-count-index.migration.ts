import type { Migration } from './migration';

/**
 * `with_count` on a project's listing counts its live backups (`status <> 'deleted'`). The project's
 * indexes gave the rows but not their status, so the count read every row of the project from the table,
 * a page per row once the catalog outgrows the page cache: at a million events a `with_count` page took
 * 23 ms p50 against 4 ms for the same page without the count. With the status at the end of the index the
 * count reads the index alone (at 100k, 1.72 against 0.21 ms warm); the listing's order (project,
 * created_at, id) is unchanged, so every plan that used the index still does.
 */
export const projectCountIndexMigration: Migration = {
  version: 28,
  name: 'project-count-index',
  sql: `
    DROP INDEX IF EXISTS backups_project_created;
    CREATE INDEX backups_project_created ON backups (project_id, created_at, id, status);
  `,
};
