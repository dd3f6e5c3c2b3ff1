import type { CatalogDatabase } from '../schema/catalog-database';
import { prepared } from './prepared';

/** Verifications asked for and not yet answered, for the worker to resume at start. */
export const runningVerifications = (db: CatalogDatabase): { backupId: string; verificationId: string }[] =>
  (
    prepared(
      db,
      `SELECT id, json_extract(verification, '$.verification_id') AS verification_id FROM backups
     WHERE json_extract(verification, '$.result') = 'running' AND status NOT IN ('deleting', 'deleted')`,
    ).all() as { id: string; verification_id: string }[]
  ).map((r) => ({ backupId: r.id, verificationId: r.verification_id }));
