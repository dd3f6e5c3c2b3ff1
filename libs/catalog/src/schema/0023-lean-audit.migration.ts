import type { Migration } from './migration';

/**
 * The audit read model keeps what its queries filter and show (who, what, when, which entity and
 * volume, where in the log) but not the event's data, which the log already holds: the audit routes read
 * it from there, a page at a time. With the data copied, the catalog was larger than the log.
 */
export const leanAuditMigration: Migration = {
  version: 23,
  name: 'lean-audit',
  sql: `ALTER TABLE audit DROP COLUMN data;`,
};
