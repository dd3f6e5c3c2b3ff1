import { QUOTA_RESPONSE_SCHEMAS } from '../quotas/quota.responses';
import { VOLUME_TYPE_RESPONSE_SCHEMAS } from '../volume-types/volume-type.responses';

/**
 * The response bodies the OpenAPI document describes, by schema name. Request bodies are not here: they
 * are the DTOs the requests are validated with (`*-requests.dto.ts`), so they cannot drift from what is checked.
 */
const schema = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const obj = (properties: Record<string, unknown>, required?: string[]) => ({
  type: 'object',
  properties,
  ...(required ? { required } : {}),
});
const str = { type: 'string' };
const strN = { type: 'string', nullable: true };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
const envelope = (key: string, inner: string) => obj({ [key]: schema(inner) }, [key]);
const listOf = (key: string, inner: string) => obj({ [key]: { type: 'array', items: schema(inner) } }, [key]);

const BACKUP = obj({
  id: str,
  name: strN,
  description: strN,
  status: str,
  size: int,
  object_count: int,
  availability_zone: strN,
  container: strN,
  created_at: str,
  updated_at: str,
  fail_reason: strN,
  volume_id: str,
  snapshot_id: strN,
  data_timestamp: str,
  is_incremental: bool,
  has_dependent_backups: bool,
  'os-backup-project-attr:project_id': str,
  metadata: { type: 'object' },
  user_id: str,
  links: { type: 'array', items: { type: 'object' } },
});
const JOB = obj({
  backup_id: str,
  kind: { type: 'string', enum: ['backup', 'restore'] },
  volume_id: str,
  bytes_done: int,
  bytes_total: { type: 'integer', nullable: true },
  objects_done: int,
  percent: { type: 'number', nullable: true },
  started_at: str,
  updated_at: str,
});

export const RESPONSE_SCHEMAS: Record<string, unknown> = {
  Fault: {
    type: 'object',
    description: 'Cinder fault body: one key naming the fault (badRequest, itemNotFound, …).',
    additionalProperties: obj({ code: int, message: str }, ['code', 'message']),
  },
  Versions: obj({ versions: { type: 'array', items: obj({ id: str, status: str, version: str, min_version: str }) } }),
  Health: obj({ status: str, eventStore: obj({ reachable: bool, headPosition: int }) }),
  Readiness: obj({
    status: { type: 'string', enum: ['ready', 'degraded', 'not ready'] },
    eventStore: obj({ reachable: bool, headPosition: int }),
    catalog: obj({ position: int, lagEvents: int, maxCatchUpMs: int, parkedEvents: int, degraded: str, error: str }),
    notifications: obj({
      driver: str,
      lagEvents: int,
      checkpointPosition: { type: 'integer', nullable: true },
      lastConfirmedAt: strN,
      pending: str,
    }),
  }),
  AuthInfo: obj({
    auth: obj({ strategy: { type: 'string', enum: ['noauth', 'tokens', 'keystone'] }, password_login: bool, www_authenticate_uri: str }, [
      'strategy',
      'password_login',
    ]),
  }),
  KeystoneLogin: obj({
    login: obj(
      {
        token: { type: 'string', description: 'the Keystone token, for X-Auth-Token' },
        expires_at: str,
        user: obj({ id: str, name: str }),
        project: obj({ id: str, name: str }),
        roles: { type: 'array', items: str },
      },
      ['token', 'expires_at', 'user', 'project', 'roles'],
    ),
  }),
  Backup: BACKUP,
  BackupSummary: obj({ id: str, name: strN, links: { type: 'array', items: { type: 'object' } } }),
  BackupEnvelope: envelope('backup', 'Backup'),
  BackupSummaryEnvelope: envelope('backup', 'BackupSummary'),
  BackupList: listOf('backups', 'Backup'),
  BackupSummaryList: listOf('backups', 'BackupSummary'),
  RestoreEnvelope: obj({ restore: obj({ backup_id: str, volume_id: str, volume_name: strN }) }),
  Volume: obj({
    id: str,
    name: strN,
    description: strN,
    status: str,
    size: int,
    availability_zone: str,
    created_at: str,
    bootable: str,
    attachments: { type: 'array', items: { type: 'object' } },
  }),
  VolumeEnvelope: envelope('volume', 'Volume'),
  VolumeList: listOf('volumes', 'Volume'),
  VolumeMetadata: obj({ metadata: { type: 'object', additionalProperties: str } }, ['metadata']),
  VolumeMetaItem: obj({ meta: { type: 'object', additionalProperties: str } }, ['meta']),
  Snapshot: obj({ id: str, name: strN, description: strN, status: str, size: int, volume_id: str, created_at: str }),
  SnapshotEnvelope: envelope('snapshot', 'Snapshot'),
  SnapshotList: listOf('snapshots', 'Snapshot'),
  Message: obj({
    id: str,
    event_id: str,
    user_message: str,
    message_level: str,
    created_at: str,
    guaranteed_until: str,
    request_id: str,
    resource_type: str,
    resource_uuid: str,
    links: { type: 'array', items: { type: 'object' } },
  }),
  MessageEnvelope: envelope('message', 'Message'),
  MessageList: listOf('messages', 'Message'),
  ResourceFilters: obj({ resource_filters: { type: 'array', items: obj({ resource: str, filters: { type: 'array', items: str } }) } }),
  Extension: obj({ name: str, alias: str, description: str, updated: str, links: { type: 'array', items: { type: 'object' } } }),
  ExtensionEnvelope: envelope('extension', 'Extension'),
  ExtensionList: listOf('extensions', 'Extension'),
  Service: obj(
    {
      binary: str,
      host: str,
      zone: str,
      status: { type: 'string', enum: ['enabled', 'disabled'] },
      state: { type: 'string', enum: ['up', 'down'] },
      updated_at: str,
      cluster: strN,
      backend_state: str,
      disabled_reason: strN,
      replication_status: str,
      active_backend_id: strN,
      frozen: bool,
    },
    ['binary', 'host', 'zone', 'status', 'state', 'updated_at'],
  ),
  ServiceList: listOf('services', 'Service'),
  ServiceUpdate: obj({ disabled: bool, host: str, service: str, binary: str, status: str, disabled_reason: strN }, [
    'disabled',
    'host',
    'service',
    'binary',
    'status',
  ]),
  AvailabilityZoneList: obj(
    {
      availabilityZoneInfo: { type: 'array', items: obj({ zoneName: str, zoneState: obj({ available: bool }) }) },
    },
    ['availabilityZoneInfo'],
  ),
  PoolList: obj({ pools: { type: 'array', items: obj({ name: str, capabilities: { type: 'object' } }, ['name']) } }, ['pools']),
  Job: JOB,
  JobEnvelope: envelope('job', 'Job'),
  JobList: listOf('jobs', 'Job'),
  ProgressEnvelope: obj({
    progress: obj({
      backup_id: str,
      status: str,
      volume_id: str,
      restore_volume_id: strN,
      size_bytes: int,
      stored_bytes: int,
      object_count: int,
      fail_reason: strN,
      job: { ...schema('Job'), nullable: true },
      last_verification: { type: 'object', nullable: true },
      last_verified_at: strN,
    }),
  }),
  ChainMember: obj({
    id: str,
    name: strN,
    status: str,
    volume_id: str,
    parent_id: strN,
    is_incremental: bool,
    size: int,
    size_bytes: int,
    stored_bytes: int,
    object_count: int,
    created_at: str,
    data_timestamp: str,
    fail_reason: strN,
  }),
  ChainList: listOf('backups', 'ChainMember'),
  Event: obj({
    position: int,
    event_id: str,
    stream_id: str,
    revision: int,
    type: str,
    entity_kind: str,
    entity_id: str,
    occurred_at: str,
    recorded_at: strN,
    user_id: strN,
    project_id: strN,
    request_id: strN,
    correlation_id: strN,
    causation_id: strN,
    data: { type: 'object' },
  }),
  BackupRecordEnvelope: obj({ 'backup-record': obj({ backup_service: str, backup_url: str }, ['backup_service', 'backup_url']) }, [
    'backup-record',
  ]),
  VerificationEnvelope: obj({ verification: obj({ verification_id: str, result: str }) }),
  RecoveryEnvelope: obj({
    recovery: obj({
      repository: str,
      recovered: { type: 'array', items: { type: 'object' } },
      incomplete: { type: 'array', items: { type: 'object' } },
      skipped: { type: 'array', items: { type: 'object' } },
    }),
  }),
  ProjectionFailureList: obj(
    {
      failures: {
        type: 'array',
        items: obj({ position: int, event_id: str, stream_id: str, type: str, projection: str, error: str, parked_at: str }),
      },
    },
    ['failures'],
  ),
  EventList: obj({ events: { type: 'array', items: schema('Event') }, events_links: { type: 'array', items: { type: 'object' } } }, [
    'events',
  ]),
  ...VOLUME_TYPE_RESPONSE_SCHEMAS,
  ...QUOTA_RESPONSE_SCHEMAS,
};
