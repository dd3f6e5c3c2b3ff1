import type { Migration } from './migration';

/**
 * Events the runner parked: a projection threw on them, so none of their effects were applied and the
 * checkpoint moved past them (see `parkEvent`). One row per event, keyed by its position, so parking it
 * again (a redelivered batch) changes nothing. A rebuild drops the table and replays every event, which
 * retries them: an event that now applies is no longer listed.
 */
export const projectionFailuresMigration: Migration = {
  version: 5,
  name: 'projection-failures',
  sql: `
    CREATE TABLE projection_failures (
      position   INTEGER PRIMARY KEY,
      event_id   TEXT NOT NULL,
      stream_id  TEXT NOT NULL,
      type       TEXT NOT NULL,
      projection TEXT NOT NULL,
      error      TEXT NOT NULL,
      parked_at  TEXT NOT NULL
    ) STRICT;
  `,
};
