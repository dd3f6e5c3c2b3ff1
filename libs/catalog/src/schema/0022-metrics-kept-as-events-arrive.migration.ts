import type { Migration } from './migration';

/**
 * `/metrics` at a constant cost: the backups by status and the job duration histograms are kept as the
 * rows change (triggers on `backups` and `job_outcomes`, so every projection path that writes them keeps
 * them right, a rebuild included) instead of grouped and read in full at every scrape, which grew with
 * the catalog (200 ms and 150 MB per scrape at 100,000 backups). Buckets are cumulative, as Prometheus
 * exposes them; `le` 9e999 is +Inf. Filled here from the rows an existing catalog already has.
 */
export const metricsKeptAsEventsArriveMigration: Migration = {
  version: 22,
  name: 'metrics-kept-as-events-arrive',
  sql: `
    CREATE TABLE backup_status_totals (
      status       TEXT PRIMARY KEY,
      count        INTEGER NOT NULL,
      stored_bytes REAL NOT NULL
    ) STRICT;
    INSERT INTO backup_status_totals (status, count, stored_bytes)
    SELECT status, COUNT(*), COALESCE(SUM(stored_bytes), 0) FROM backups GROUP BY status;

    CREATE TRIGGER backup_status_totals_insert AFTER INSERT ON backups BEGIN
      INSERT INTO backup_status_totals (status, count, stored_bytes) VALUES (NEW.status, 1, COALESCE(NEW.stored_bytes, 0))
      ON CONFLICT (status) DO UPDATE SET count = count + 1, stored_bytes = stored_bytes + COALESCE(NEW.stored_bytes, 0);
    END;
    CREATE TRIGGER backup_status_totals_delete AFTER DELETE ON backups BEGIN
      UPDATE backup_status_totals SET count = count - 1, stored_bytes = stored_bytes - COALESCE(OLD.stored_bytes, 0)
      WHERE status = OLD.status;
    END;
    CREATE TRIGGER backup_status_totals_update AFTER UPDATE OF status, stored_bytes ON backups BEGIN
      UPDATE backup_status_totals SET count = count - 1, stored_bytes = stored_bytes - COALESCE(OLD.stored_bytes, 0)
      WHERE status = OLD.status;
      INSERT INTO backup_status_totals (status, count, stored_bytes) VALUES (NEW.status, 1, COALESCE(NEW.stored_bytes, 0))
      ON CONFLICT (status) DO UPDATE SET count = count + 1, stored_bytes = stored_bytes + COALESCE(NEW.stored_bytes, 0);
    END;

    CREATE TABLE job_duration_buckets (
      kind    TEXT NOT NULL,
      outcome TEXT NOT NULL,
      le      REAL NOT NULL,
      count   INTEGER NOT NULL,
      PRIMARY KEY (kind, outcome, le)
    ) STRICT;
    CREATE TABLE job_duration_sums (
      kind    TEXT NOT NULL,
      outcome TEXT NOT NULL,
      count   INTEGER NOT NULL,
      seconds REAL NOT NULL,
      PRIMARY KEY (kind, outcome)
    ) STRICT;
    WITH kinds(kind) AS (VALUES ('backup'), ('restore')),
         outcomes(outcome) AS (VALUES ('completed'), ('failed')),
         bounds(le) AS (VALUES (1), (5), (15), (30), (60), (300), (900), (1800), (3600), (10800), (43200), (9e999))
    INSERT INTO job_duration_buckets (kind, outcome, le, count)
    SELECT k.kind, o.outcome, b.le,
      (SELECT COUNT(*) FROM job_outcomes j WHERE j.kind = k.kind AND j.outcome = o.outcome AND j.seconds <= b.le)
    FROM kinds k, outcomes o, bounds b;
    WITH kinds(kind) AS (VALUES ('backup'), ('restore')),
         outcomes(outcome) AS (VALUES ('completed'), ('failed'))
    INSERT INTO job_duration_sums (kind, outcome, count, seconds)
    SELECT k.kind, o.outcome,
      (SELECT COUNT(*) FROM job_outcomes j WHERE j.kind = k.kind AND j.outcome = o.outcome),
      (SELECT COALESCE(SUM(j.seconds), 0) FROM job_outcomes j WHERE j.kind = k.kind AND j.outcome = o.outcome)
    FROM kinds k, outcomes o;

    CREATE TRIGGER job_duration_histogram AFTER INSERT ON job_outcomes BEGIN
      UPDATE job_duration_buckets SET count = count + 1 WHERE kind = NEW.kind AND outcome = NEW.outcome AND le >= NEW.seconds;
      UPDATE job_duration_sums SET count = count + 1, seconds = seconds + NEW.seconds WHERE kind = NEW.kind AND outcome = NEW.outcome;
    END;
  `,
};
