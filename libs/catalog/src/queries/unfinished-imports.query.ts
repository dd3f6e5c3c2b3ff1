import type { CatalogDatabase } from '../schema/catalog-database';
import { prepared } from './prepared';

/** The ids of the catalog imports that started and have not completed (nearly always none). */
export const unfinishedImports = (db: CatalogDatabase): Set<string> =>
  new Set(
    (prepared(db, `SELECT import_id FROM catalog_imports WHERE completed_at IS NULL`).all() as { import_id: string }[]).map(
      (r) => r.import_id,
    ),
  );
