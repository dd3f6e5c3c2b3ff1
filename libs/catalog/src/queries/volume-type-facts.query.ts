import type { CatalogDatabase } from '../schema/catalog-database';
import { prepared } from './prepared';

/** Live volumes of the type, any status but deleted (Cinder's "in use"). */
export const volumesOfTypeCount = (db: CatalogDatabase, volumeTypeId: string): number =>
  Number(
    (
      prepared(db, "SELECT COUNT(*) AS n FROM volumes WHERE volume_type_id = @volumeTypeId AND status <> 'deleted'").get({
        volumeTypeId,
      }) as { n: bigint }
    ).n,
  );

/** Live types, private ones included. */
export const liveVolumeTypeCount = (db: CatalogDatabase): number =>
  Number((prepared(db, 'SELECT COUNT(*) AS n FROM volume_types WHERE deleted_at IS NULL').get() as { n: bigint }).n);

/** The projects on a type's access list, in the order of their ids. */
export const volumeTypeProjects = (db: CatalogDatabase, volumeTypeId: string): string[] =>
  (
    prepared(db, 'SELECT project_id FROM volume_type_projects WHERE volume_type_id = @volumeTypeId ORDER BY project_id').all({
      volumeTypeId,
    }) as { project_id: string }[]
  ).map((r) => r.project_id);
