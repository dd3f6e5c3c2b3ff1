import type { Migration } from './migration';

/**
 * Cinder's `services` table as the log knows it: which service runs on which host, in which zone, and
 * whether an admin disabled it. Heartbeats are not here (they are not events): the api reads them from
 * the event store's beacons when it answers.
 */
export const servicesMigration: Migration = {
  version: 17,
  name: 'services',
  sql: `
    CREATE TABLE services (
      binary              TEXT NOT NULL,
      host                TEXT NOT NULL,
      zone                TEXT NOT NULL,
      disabled            INTEGER NOT NULL DEFAULT 0,
      disabled_reason     TEXT,
      created_at          TEXT NOT NULL,
      modified_at         TEXT,
      last_event_position INTEGER NOT NULL,
      PRIMARY KEY (binary, host)
    ) STRICT;
  `,
};
