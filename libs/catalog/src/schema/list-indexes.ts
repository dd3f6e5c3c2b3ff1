import type { Database as CatalogDatabase } from 'better-sqlite3';
import { availableParallelism } from 'node:os';

/**
 * The indexes only the queries use: listings, name lookups, the audit's filters, `as_of`'s children
 * probe. No projection statement looks a row up by one of them (`list-indexes.spec.ts` proves it with
 * each statement's query plan), so a catalog being built from the log can leave them out and make them
 * once at the end: one sort per index instead of a B-tree insert per event, which halves a rebuild's CPU.
 * Each is written as the migration that made it wrote it (the spec compares them with a migrated file).
 */
export const LIST_INDEXES: Readonly<Record<string, string>> = {
  audit_entity: 'audit (entity_kind, entity_id, position)',
  audit_time: 'audit (occurred_at, position)',
  audit_volume: 'audit (volume_id, position) WHERE volume_id IS NOT NULL',
  backup_children_completed: 'backup_children (parent_id, child_id) WHERE completed = 1',
  backup_versions_children: 'backup_versions (parent_id, valid_to, valid_from) WHERE completed = 1',
  backups_project_created: 'backups (project_id, created_at, id, status)',
  backups_volume_parent_choice: 'backups (volume_id, status, data_timestamp)',
  backups_parent: 'backups (parent_id)',
  backups_created: 'backups (created_at, id)',
  backups_status: 'backups (status, created_at, id)',
  backups_verification_running: "backups (id) WHERE json_extract(verification, '$.result') = 'running'",
  backups_record_imports: "backups (id) WHERE imported_from = 'record' AND import_claims_quota = 1",
  backups_name: 'backups (name, created_at, id)',
  backups_project_name: 'backups (project_id, name, created_at, id)',
  messages_by_project: 'messages (project_id, created_at)',
  snapshots_project_created: 'snapshots (project_id, created_at, id)',
  snapshots_volume: 'snapshots (volume_id, status)',
  snapshots_created: 'snapshots (created_at, id)',
  snapshots_status: 'snapshots (status, created_at, id)',
  snapshots_name: 'snapshots (name, created_at, id)',
  snapshots_project_name: 'snapshots (project_id, name, created_at, id)',
  volumes_project_created: 'volumes (project_id, created_at, id)',
  volumes_type: 'volumes (volume_type_id, status)',
  volumes_created: 'volumes (created_at, id)',
  volumes_status: 'volumes (status, created_at, id)',
  volumes_name: 'volumes (name, created_at, id)',
  volumes_project_name: 'volumes (project_id, name, created_at, id)',
};

/** The statements that make every list index a file lacks; none when it has them all. */
export const missingListIndexes = (db: CatalogDatabase): string[] => {
  const present = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all() as string[]).filter((name) => name in LIST_INDEXES),
  );
  return Object.entries(LIST_INDEXES)
    .filter(([name]) => !present.has(name))
    .map(([name, on]) => `CREATE INDEX IF NOT EXISTS ${name} ON ${on}`);
};

/** Drops the list indexes of a file about to be built from the log (see `ensureListIndexes` for the end). */
export const dropListIndexes = (db: CatalogDatabase): void => {
  db.transaction(() => {
    for (const name of Object.keys(LIST_INDEXES)) db.exec(`DROP INDEX IF EXISTS ${name}`);
  }).immediate();
};

/**
 * Makes the list indexes a file lacks, in one transaction, on this connection: what opening a catalog
 * does, so a file whose build stopped between the drop and the end (a crash) never serves without them.
 */
export const ensureListIndexes = (db: CatalogDatabase): void => {
  const missing = missingListIndexes(db);
  if (missing.length === 0) return;
  const threads = db.pragma('threads', { simple: true }) as number;
  // Helper threads for the sorts: the indexes of a million events took 1.90–1.92 s with two against
  // 2.32–2.39 s without, on two cores (2026-12-07).
  db.pragma(`threads = ${Math.min(4, availableParallelism())}`);
  try {
    db.transaction(() => {
      for (const sql of missing) db.exec(sql);
    }).immediate();
  } finally {
    db.pragma(`threads = ${threads}`);
  }
};
