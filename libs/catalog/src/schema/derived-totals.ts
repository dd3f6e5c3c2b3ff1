import type { CatalogDatabase } from './catalog-database';

/**
 * The triggers that keep `/metrics`' totals as rows change (migrations 22 and 33): the backups by status,
 * and the job duration histograms and sums. Each is written as the migration that made it wrote it (the
 * spec compares them with a migrated file).
 */
export const DERIVED_TOTALS_TRIGGERS: Readonly<Record<string, string>> = {
  backup_status_totals_insert: `AFTER INSERT ON backups BEGIN
      INSERT INTO backup_status_totals (status, count, stored_bytes) VALUES (NEW.status, 1, COALESCE(NEW.stored_bytes, 0))
      ON CONFLICT (status) DO UPDATE SET count = count + 1, stored_bytes = stored_bytes + COALESCE(NEW.stored_bytes, 0);
    END`,
  backup_status_totals_delete: `AFTER DELETE ON backups BEGIN
      UPDATE backup_status_totals SET count = count - 1, stored_bytes = stored_bytes - COALESCE(OLD.stored_bytes, 0)
      WHERE status = OLD.status;
      DELETE FROM backup_status_totals WHERE status = OLD.status AND count = 0;
    END`,
  backup_status_totals_update: `AFTER UPDATE OF status, stored_bytes ON backups BEGIN
      UPDATE backup_status_totals SET count = count - 1, stored_bytes = stored_bytes - COALESCE(OLD.stored_bytes, 0)
      WHERE status = OLD.status;
      DELETE FROM backup_status_totals WHERE status = OLD.status AND count = 0;
      INSERT INTO backup_status_totals (status, count, stored_bytes) VALUES (NEW.status, 1, COALESCE(NEW.stored_bytes, 0))
      ON CONFLICT (status) DO UPDATE SET count = count + 1, stored_bytes = stored_bytes + COALESCE(NEW.stored_bytes, 0);
    END`,
  job_duration_histogram: `AFTER INSERT ON job_outcomes BEGIN
      UPDATE job_duration_buckets SET count = count + 1 WHERE kind = NEW.kind AND outcome = NEW.outcome AND le >= NEW.seconds;
      UPDATE job_duration_sums SET count = count + 1, seconds = seconds + NEW.seconds WHERE kind = NEW.kind AND outcome = NEW.outcome;
    END`,
};

const presentTriggers = (db: CatalogDatabase): Set<string> =>
  new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all() as string[]);

/** Drops the totals' triggers of a file about to be built from the log (see `ensureDerivedTotals` for the end). */
export const dropDerivedTotals = (db: CatalogDatabase): void => {
  db.transaction(() => {
    for (const name of Object.keys(DERIVED_TOTALS_TRIGGERS)) db.exec(`DROP TRIGGER IF EXISTS ${name}`);
  }).immediate();
};

interface JobDurations {
  count: number;
  seconds: number;
  /** Each bucket's upper bound, and how many jobs took at most that long. */
  readonly buckets: { readonly le: number; count: number }[];
}

/**
 * The job duration histograms and sums, from one pass over the jobs in the log's order. Each job's seconds
 * are added to its sum one after the other, as the trigger adds them: SQL's SUM adds floating-point
 * numbers in another way (compensated), and could differ from the trigger's in the last digit. One pass:
 * a count per bucket in SQL read every job once per bucket.
 */
const jobDurations = (db: CatalogDatabase): Map<string, JobDurations> => {
  const byJob = new Map<string, JobDurations>();
  const keyOf = (kind: string, outcome: string): string => `${kind}\0${outcome}`;
  for (const [kind, outcome] of db.prepare('SELECT kind, outcome FROM job_duration_sums').raw().all() as [string, string][])
    byJob.set(keyOf(kind, outcome), { count: 0, seconds: 0, buckets: [] });
  for (const [kind, outcome, le] of db.prepare('SELECT kind, outcome, le FROM job_duration_buckets').raw().all() as [
    string,
    string,
    number,
  ][])
    byJob.get(keyOf(kind, outcome))?.buckets.push({ le, count: 0 });
  const jobs = db.prepare('SELECT kind, outcome, seconds FROM job_outcomes ORDER BY position').raw().iterate() as IterableIterator<
    [string, string, number]
  >;
  for (const [kind, outcome, seconds] of jobs) {
    const durations = byJob.get(keyOf(kind, outcome));
    if (!durations) continue;
    durations.count += 1;
    durations.seconds += seconds;
    for (const bucket of durations.buckets) if (bucket.le >= seconds) bucket.count += 1;
  }
  return byJob;
};

/**
 * Makes the totals of a file built from the log without their triggers (`dropDerivedTotals`) from its
 * rows, and the triggers, in one transaction: the totals the triggers would have kept event by event. What
 * opening a catalog does too, so a file whose build stopped between the drop and the end (a crash) never
 * serves wrong totals. Nothing to do when the triggers are all there.
 */
export const ensureDerivedTotals = (db: CatalogDatabase): void => {
  const present = presentTriggers(db);
  const missing = Object.keys(DERIVED_TOTALS_TRIGGERS).filter((name) => !present.has(name));
  if (missing.length === 0) return;
  db.transaction(() => {
    for (const name of Object.keys(DERIVED_TOTALS_TRIGGERS)) db.exec(`DROP TRIGGER IF EXISTS ${name}`);
    db.exec(`
      DELETE FROM backup_status_totals;
      INSERT INTO backup_status_totals (status, count, stored_bytes)
      SELECT status, COUNT(*), COALESCE(SUM(stored_bytes), 0) FROM backups GROUP BY status;
    `);
    const setSum = db.prepare('UPDATE job_duration_sums SET count = ?, seconds = ? WHERE kind = ? AND outcome = ?');
    const setBucket = db.prepare('UPDATE job_duration_buckets SET count = ? WHERE kind = ? AND outcome = ? AND le = ?');
    for (const [key, durations] of jobDurations(db)) {
      const [kind, outcome] = key.split('\0') as [string, string];
      setSum.run(durations.count, durations.seconds, kind, outcome);
      for (const bucket of durations.buckets) setBucket.run(bucket.count, kind, outcome, bucket.le);
    }
    for (const [name, body] of Object.entries(DERIVED_TOTALS_TRIGGERS)) db.exec(`CREATE TRIGGER ${name} ${body}`);
  }).immediate();
};
