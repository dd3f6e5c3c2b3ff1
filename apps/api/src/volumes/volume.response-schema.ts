import {
  at,
  bool,
  exactly,
  int,
  links,
  nul,
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
 * Cinder's volume views, from its source: api/v2/views/volumes.py (`summary`, `detail`, `_get_attachments`),
 * api/v3/views/volumes.py (the microversion additions) and the contrib extensions that add attributes to
 * `show` and `detail` only (volume_tenant_attribute for readers; volume_host_attribute and
 * volume_mig_status_attribute for admins). `answer`: the create and update answers, which no extension touches.
 */
export const volumeSummarySchema: JsonSchema = exactly({ id: uuid, name: strOrNull, links });

const attachment = (r: ViewRequest): JsonSchema =>
  exactly({
    id: uuid,
    attachment_id: uuid,
    volume_id: uuid,
    server_id: strOrNull,
    // `_get_attachments` blanks the host for anyone but an admin.
    host_name: r.admin ? strOrNull : nul,
    device: strOrNull,
    attached_at: timeOrNull,
  });

export const volumeDetailSchema = (r: ViewRequest, kind: 'show' | 'answer'): JsonSchema => {
  const properties: Record<string, JsonSchema> = {
    id: uuid,
    status: str,
    size: int,
    availability_zone: str,
    created_at: time,
    updated_at: timeOrNull,
    name: strOrNull,
    description: strOrNull,
    volume_type: strOrNull,
    snapshot_id: uuidOrNull,
    source_volid: uuidOrNull,
    metadata: stringMap,
    links,
    user_id: str,
    bootable: { enum: ['true', 'false'] },
    encrypted: bool,
    replication_status: strOrNull,
    consistencygroup_id: uuidOrNull,
    multiattach: bool,
    attachments: { type: 'array', items: attachment(r) },
  };
  if (r.admin) properties.migration_status = strOrNull;
  if (at(r, '3.13')) properties.group_id = uuidOrNull;
  if (at(r, '3.21') && r.admin) properties.provider_id = strOrNull;
  if (at(r, '3.48')) {
    properties.shared_targets = at(r, '3.69') ? { type: ['boolean', 'null'] } : bool;
    properties.service_uuid = strOrNull;
  }
  if (at(r, '3.61') && r.admin) properties.cluster_name = strOrNull;
  if (at(r, '3.63')) properties.volume_type_id = uuidOrNull;
  if (at(r, '3.64')) properties.encryption_key_id = uuid;
  if (at(r, '3.65')) properties.consumes_quota = bool;
  if (kind === 'show') {
    properties['os-vol-tenant-attr:tenant_id'] = str;
    if (r.admin) {
      properties['os-vol-host-attr:host'] = strOrNull;
      properties['os-vol-mig-status-attr:migstat'] = strOrNull;
      properties['os-vol-mig-status-attr:name_id'] = uuidOrNull;
    }
  }
  // Cinder sends the key id only when the volume has one.
  return exactly(properties, ['encryption_key_id']);
};
