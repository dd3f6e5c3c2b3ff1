import { readModelsMigration } from './0001-read-models.migration';
import { jobOwnerMigration } from './0002-job-owner.migration';
import type { Migration } from './migration';

/** In order; append, never edit a released step. */
export const MIGRATIONS: readonly Migration[] = [readModelsMigration, jobOwnerMigration];

/** Every table the migrations create: what a rebuild drops and what `dumpCatalog` compares, with its key. */
export const READ_MODEL_TABLES = {
  backups: 'id',
  backup_children: 'parent_id, child_id',
  volumes: 'id',
  snapshots: 'id',
  jobs: 'backup_id, kind',
  audit: 'position',
  projection_checkpoints: 'name',
} as const;

export type ReadModelTable = keyof typeof READ_MODEL_TABLES;
