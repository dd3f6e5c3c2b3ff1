import type { CatalogDatabase } from '../schema/catalog-database';
import { prepared } from './prepared';
import { toEncryptionRow, type VolumeTypeEncryptionRow } from './volume-type-row';

/** A type's encryption specs, or null when it has none. */
export const volumeTypeEncryption = (db: CatalogDatabase, volumeTypeId: string): VolumeTypeEncryptionRow | null => {
  const row = prepared(db, 'SELECT * FROM volume_type_encryption WHERE volume_type_id = @volumeTypeId').get({ volumeTypeId }) as
    Record<string, unknown> | undefined;
  return row ? toEncryptionRow(row) : null;
};
