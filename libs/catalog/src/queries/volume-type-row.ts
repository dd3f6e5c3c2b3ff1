import type { ControlLocation, ExtraSpecs } from '@strata/domain';
import type { Condition } from './list-page';

export interface VolumeTypeRow {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly isPublic: boolean;
  /** Strata has no QoS specs: always null, as Cinder shows a type without any. */
  readonly qosSpecsId: string | null;
  readonly extraSpecs: ExtraSpecs;
  /** The type has encryption specs. */
  readonly encrypted: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface VolumeTypeEncryptionRow {
  readonly volumeTypeId: string;
  readonly encryptionId: string;
  readonly provider: string;
  readonly controlLocation: ControlLocation;
  readonly cipher: string | null;
  readonly keySize: number | null;
  readonly createdAt: string;
  readonly updatedAt: string | null;
}

/**
 * Which types a caller sees: an admin every one; anyone else the public ones and the private ones
 * whose access list names its project (Cinder's `_volume_type_get_query`).
 */
export interface TypeVisibility {
  readonly projectId: string;
  readonly allTypes: boolean;
}

export const VOLUME_TYPE_SELECT = `SELECT t.*,
  (SELECT json_group_object(s.key, s.value) FROM
    (SELECT key, value FROM volume_type_extra_specs WHERE volume_type_id = t.id ORDER BY first_set, ordinal) s) AS extra_specs,
  EXISTS (SELECT 1 FROM volume_type_encryption e WHERE e.volume_type_id = t.id) AS encrypted
FROM volume_types t`;

/** Public, or private with the project on its access list. */
export const publicOrAccessible = (projectId: string): Condition => ({
  sql: 't.is_public = 1 OR EXISTS (SELECT 1 FROM volume_type_projects p WHERE p.volume_type_id = t.id AND p.project_id = @vtProject)',
  params: { vtProject: projectId },
});

export const visibilityOf = (visibility: TypeVisibility): Condition =>
  visibility.allTypes ? { sql: '1', params: {} } : publicOrAccessible(visibility.projectId);

export const toVolumeTypeRow = (r: Record<string, unknown>): VolumeTypeRow => ({
  id: r.id as string,
  name: r.name as string,
  description: r.description as string | null,
  isPublic: Number(r.is_public) === 1,
  qosSpecsId: r.qos_specs_id as string | null,
  extraSpecs: JSON.parse(String(r.extra_specs ?? '{}')) as ExtraSpecs,
  encrypted: Number(r.encrypted) === 1,
  createdAt: r.created_at as string,
  updatedAt: r.updated_at as string,
});

export const toEncryptionRow = (r: Record<string, unknown>): VolumeTypeEncryptionRow => ({
  volumeTypeId: r.volume_type_id as string,
  encryptionId: r.encryption_id as string,
  provider: r.provider as string,
  controlLocation: r.control_location as ControlLocation,
  cipher: r.cipher as string | null,
  keySize: r.key_size === null ? null : Number(r.key_size),
  createdAt: r.created_at as string,
  updatedAt: r.updated_at as string | null,
});
