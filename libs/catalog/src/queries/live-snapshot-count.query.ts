import type { CatalogDatabase } from '../schema/catalog-database';
import { prepared } from './prepared';

/** Snapshots that still hold a volume (any status but deleted): a volume with any cannot be deleted. */
export const liveSnapshotCount = (db: CatalogDatabase, volumeId: string): number => {
  const row = prepared(db, "SELECT COUNT(*) AS n FROM snapshots WHERE volume_id = @volumeId AND status <> 'deleted'").get({ volumeId }) as {
    n: bigint;
  };
  return Number(row.n);
};
