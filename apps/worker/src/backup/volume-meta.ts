import { pythonJsonDumps } from '@strata/chunked-driver';
import type { VolumeRow } from '@strata/catalog';

/** Cinder's `volume_meta` (BackupMetadataAPI, version 2): the volume's base fields and user metadata, as JSON text. */
export const volumeMetaOf = (v: VolumeRow): string => {
  const base = {
    id: v.id,
    size: v.size,
    display_name: v.name,
    display_description: v.description,
    availability_zone: v.availabilityZone,
    volume_type_id: v.volumeTypeId,
    encryption_key_id: v.encryptionKeyId,
    created_at: v.createdAt.replace('Z', '').padEnd(26, '0'),
    status: v.status,
  };
  const meta: Record<string, unknown> = { version: 2, 'volume-base-metadata': base };
  if (Object.keys(v.metadata).length > 0) meta['volume-metadata'] = v.metadata;
  return pythonJsonDumps(meta as never);
};
