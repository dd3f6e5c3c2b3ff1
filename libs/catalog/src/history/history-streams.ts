import { BackupNotFound, backupStreamId, snapshotStreamId, volumeStreamId } from '@strata/domain';
import { backupRelations } from '../queries/backup-relations.query';
import type { CatalogDatabase } from '../schema/catalog-database';

/**
 * The streams an export of these backups must carry so the import is a working catalog: each backup,
 * its parent chain up to the full (an incremental restores only with its parents), the volumes they
 * were taken from or restored into, and the snapshots they were taken from. Not their volume types: a
 * restore needs none, and every store has its own `__DEFAULT__` history, which an import would have to
 * fork; a volume whose type the importing store lacks shows the type name it was created with.
 */
export const historyStreamsOf = (db: CatalogDatabase, backupIds: readonly string[]): Set<string> => {
  const streams = new Set<string>();
  for (const requested of backupIds) {
    let id: string | null = requested;
    while (id !== null && !streams.has(backupStreamId(id))) {
      const relations = backupRelations(db, id);
      if (!relations) throw new BackupNotFound(id);
      streams.add(backupStreamId(id));
      streams.add(volumeStreamId(relations.volumeId));
      if (relations.snapshotId) streams.add(snapshotStreamId(relations.snapshotId));
      if (relations.snapshotVolumeId) streams.add(volumeStreamId(relations.snapshotVolumeId));
      if (relations.restoreVolumeId) streams.add(volumeStreamId(relations.restoreVolumeId));
      id = relations.parentId;
    }
  }
  return streams;
};
