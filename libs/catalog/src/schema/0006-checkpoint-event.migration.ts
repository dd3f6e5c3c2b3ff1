import type { Migration } from './migration';

/**
 * The checkpoint also names the last event the catalog applied (its position and id), so the catalog
 * can be compared with the log it follows (see `compareWithLog`). Kept apart from `position`, which may
 * be a subscription checkpoint that is no event's position (EventStoreDB). A catalog from before this
 * step takes its newest audit row, the last Strata event it applied.
 */
export const checkpointEventMigration: Migration = {
  version: 6,
  name: 'checkpoint-event',
  sql: `
    ALTER TABLE projection_checkpoints ADD COLUMN event_position INTEGER;
    ALTER TABLE projection_checkpoints ADD COLUMN event_id TEXT;

    UPDATE projection_checkpoints SET (event_position, event_id) = (
      SELECT position, event_id FROM audit WHERE position <= projection_checkpoints.position ORDER BY position DESC LIMIT 1);
  `,
};
