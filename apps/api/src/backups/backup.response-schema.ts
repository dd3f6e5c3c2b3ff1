import {
  at,
  bool,
  exactly,
  int,
  links,
  str,
  stringMap,
  strOrNull,
  time,
  timeOrNull,
  uuid,
  uuidOrNull,
  type JsonSchema,
  type ViewRequest,
} from '../shared/cinder-response-schema';

/**
 * Cinder's backup views, from its source: api/views/backups.py (`summary`, `detail`, `restore_summary`,
 * `export_summary`), api/v3/views/backups.py (metadata at 3.43, the key id at 3.64) and api/v3/backups.py,
 * which adds the project (3.18) and the user (3.56) to `show` and `detail` for admins.
 */
export const backupSummarySchema: JsonSchema = exactly({ id: uuid, name: strOrNull, links });

export const backupDetailSchema = (r: ViewRequest): JsonSchema => {
  const properties: Record<string, JsonSchema> = {
    id: uuid,
    status: str,
    size: int,
    object_count: int,
    availability_zone: strOrNull,
    container: strOrNull,
    created_at: time,
    updated_at: timeOrNull,
    name: strOrNull,
    description: strOrNull,
    fail_reason: strOrNull,
    volume_id: str,
    links,
    is_incremental: bool,
    has_dependent_backups: bool,
    snapshot_id: uuidOrNull,
    data_timestamp: time,
  };
  if (at(r, '3.43')) properties.metadata = stringMap;
  if (at(r, '3.64')) properties.encryption_key_id = str;
  if (at(r, '3.18') && r.admin) properties['os-backup-project-attr:project_id'] = str;
  if (at(r, '3.56') && r.admin) properties.user_id = str;
  return exactly(properties, ['encryption_key_id']);
};

export const restoreSchema: JsonSchema = exactly({ restore: exactly({ backup_id: uuid, volume_id: uuid, volume_name: strOrNull }) });

export const backupRecordSchema: JsonSchema = exactly({ 'backup-record': exactly({ backup_service: str, backup_url: str }) });
