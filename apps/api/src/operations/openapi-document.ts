import type { Route } from './route-table';

/** What a route's operation says beyond its method and path. */
interface RouteDoc {
  readonly summary: string;
  readonly tag: 'Versions' | 'Backups' | 'Volumes' | 'Snapshots' | 'Strata' | 'Operations';
  readonly description?: string;
  /** `#/components/schemas/<name>` of the JSON body, if any. */
  readonly body?: string;
  /** Status → schema name (or null for an empty or non-JSON body). */
  readonly responses: Readonly<Record<number, string | null>>;
  readonly query?: readonly string[];
  readonly auth?: false;
  readonly produces?: string;
}

const LIST_QUERY = ['limit', 'marker', 'offset', 'sort', 'sort_key', 'sort_dir', 'with_count', 'all_tenants'];

/**
 * The hand-written half of the document, keyed by `METHOD path` without the optional project segment.
 * Routes a controller serves but this table lacks still appear, marked `x-strata-undocumented`.
 */
export const ROUTE_DOCS: Readonly<Record<string, RouteDoc>> = {
  'get /': { tag: 'Versions', summary: "Cinder's version document (300 Multiple Choices)", responses: { 300: 'Versions' }, auth: false },
  'get /v3': { tag: 'Versions', summary: 'The v3 version document, microversions 3.0–3.70', responses: { 200: 'Versions' }, auth: false },
  'get /healthz': { tag: 'Operations', summary: 'Liveness: the event store answers', responses: { 200: 'Health', 503: 'Health' }, auth: false },
  'get /readyz': {
    tag: 'Operations', summary: 'Readiness: event store reachable and read models caught up within a bound',
    responses: { 200: 'Readiness', 503: 'Readiness' }, auth: false,
  },
  'get /metrics': {
    tag: 'Operations', summary: 'Prometheus metrics (text exposition format 0.0.4)', responses: { 200: null }, auth: false,
    produces: 'text/plain; version=0.0.4',
  },
  'get /strata/v1/openapi.json': { tag: 'Operations', summary: 'This document', responses: { 200: null }, auth: false },
  'get /ui': { tag: 'Operations', summary: 'The web page: volumes, backup chains, timelines and live jobs', responses: { 200: null }, auth: false, produces: 'text/html' },
  'get /ui/{file}': { tag: 'Operations', summary: "The web page's script and style", responses: { 200: null, 404: null }, auth: false, produces: 'text/javascript' },

  'get /v3/backups': { tag: 'Backups', summary: 'List backups (summary view)', query: [...LIST_QUERY, 'name', 'status', 'volume_id'], responses: { 200: 'BackupSummaryList' } },
  'get /v3/backups/detail': { tag: 'Backups', summary: 'List backups with every field', query: [...LIST_QUERY, 'name', 'status', 'volume_id'], responses: { 200: 'BackupList' } },
  'post /v3/backups': {
    tag: 'Backups', summary: 'Create a backup (full, incremental, of a snapshot, forced for in-use volumes)', body: 'BackupCreate',
    responses: { 202: 'BackupSummaryEnvelope', 400: 'Fault', 404: 'Fault' },
  },
  'get /v3/backups/{backupId}': { tag: 'Backups', summary: 'Show a backup', responses: { 200: 'BackupEnvelope', 404: 'Fault' } },
  'put /v3/backups/{backupId}': {
    tag: 'Backups', summary: 'Update name, description or metadata (microversion ≥ 3.9)', body: 'BackupUpdate',
    responses: { 200: 'BackupSummaryEnvelope', 400: 'Fault', 404: 'Fault' },
  },
  'delete /v3/backups/{backupId}': { tag: 'Backups', summary: 'Delete a backup (refused while incrementals depend on it)', responses: { 202: null, 400: 'Fault', 404: 'Fault' } },
  'post /v3/backups/{backupId}/restore': {
    tag: 'Backups', summary: 'Restore into an existing volume, or into a new one', body: 'RestoreRequest',
    responses: { 202: 'RestoreEnvelope', 400: 'Fault', 404: 'Fault' },
  },
  'post /v3/backups/{backupId}/action': {
    tag: 'Backups', summary: 'Admin actions: os-reset_status, os-force_delete', body: 'BackupAction',
    responses: { 202: null, 400: 'Fault', 403: 'Fault', 404: 'Fault' },
  },

  'get /v3/volumes': { tag: 'Volumes', summary: 'List volumes (summary view)', query: [...LIST_QUERY, 'name', 'status'], responses: { 200: 'VolumeList' } },
  'get /v3/volumes/detail': { tag: 'Volumes', summary: 'List volumes with every field', query: [...LIST_QUERY, 'name', 'status'], responses: { 200: 'VolumeList' } },
  'post /v3/volumes': { tag: 'Volumes', summary: 'Create a file-backed volume', body: 'VolumeCreate', responses: { 202: 'VolumeEnvelope', 400: 'Fault' } },
  'get /v3/volumes/{volumeId}': { tag: 'Volumes', summary: 'Show a volume', responses: { 200: 'VolumeEnvelope', 404: 'Fault' } },
  'put /v3/volumes/{volumeId}': { tag: 'Volumes', summary: 'Update name, description or metadata', body: 'VolumeUpdate', responses: { 200: 'VolumeEnvelope', 400: 'Fault', 404: 'Fault' } },
  'delete /v3/volumes/{volumeId}': { tag: 'Volumes', summary: 'Delete a volume', responses: { 202: null, 400: 'Fault', 404: 'Fault' } },
  'post /v3/volumes/{volumeId}/action': {
    tag: 'Volumes', summary: 'Volume actions: os-attach, os-detach, os-unmanage (admin)', body: 'VolumeAction',
    responses: { 202: null, 400: 'Fault', 404: 'Fault' },
  },
  'post /v3/os-volume-manage': {
    tag: 'Volumes', summary: 'Register an existing file or block device as a volume (admin)', body: 'VolumeManage',
    responses: { 202: 'VolumeEnvelope', 400: 'Fault', 403: 'Fault' },
  },
  'get /v3/snapshots': { tag: 'Snapshots', summary: 'List snapshots (summary view)', query: [...LIST_QUERY, 'name', 'status', 'volume_id'], responses: { 200: 'SnapshotList' } },
  'get /v3/snapshots/detail': { tag: 'Snapshots', summary: 'List snapshots with every field', query: [...LIST_QUERY, 'name', 'status', 'volume_id'], responses: { 200: 'SnapshotList' } },
  'post /v3/snapshots': { tag: 'Snapshots', summary: 'Snapshot a volume', body: 'SnapshotCreate', responses: { 202: 'SnapshotEnvelope', 400: 'Fault', 404: 'Fault' } },
  'get /v3/snapshots/{snapshotId}': { tag: 'Snapshots', summary: 'Show a snapshot', responses: { 200: 'SnapshotEnvelope', 404: 'Fault' } },
  'delete /v3/snapshots/{snapshotId}': { tag: 'Snapshots', summary: 'Delete a snapshot', responses: { 202: null, 400: 'Fault', 404: 'Fault' } },
  'get /v3/resource_filters': { tag: 'Versions', summary: 'The list filters each resource honours (≥ 3.33)', query: ['resource'], responses: { 200: 'ResourceFilters' } },

  'get /strata/v1/jobs': {
    tag: 'Strata', summary: 'Running backups and restores with their progress', query: ['all_tenants'], responses: { 200: 'JobList' },
  },
  'get /strata/v1/jobs/{backupId}': { tag: 'Strata', summary: 'The job running on a backup (its backup or a restore from it)', responses: { 200: 'JobEnvelope', 404: 'Fault' } },
  'get /strata/v1/backups/{backupId}/progress': {
    tag: 'Strata', summary: "A backup's status and its running job: what `strata … --wait` polls", responses: { 200: 'ProgressEnvelope', 404: 'Fault' },
  },
  'get /strata/v1/backups/{backupId}/events': {
    tag: 'Strata', summary: "A backup's whole history (deleted backups included), oldest first", query: ['limit', 'after_position', 'marker'],
    responses: { 200: 'EventList', 400: 'Fault', 404: 'Fault' },
  },
  'get /strata/v1/events': {
    tag: 'Strata', summary: 'The global log, filtered (admin)', query: ['since', 'until', 'type', 'project_id', 'volume_id', 'limit', 'after_position', 'marker'],
    responses: { 200: 'EventList', 400: 'Fault', 403: 'Fault' },
  },
  'get /strata/v1/backups': {
    tag: 'Strata', summary: 'The backups as they stood at a past time, replayed from the log', query: ['as_of', 'all_tenants'],
    responses: { 200: 'BackupList', 400: 'Fault' },
  },
  'get /strata/v1/catalog/export': {
    tag: 'Strata', summary: 'The history file of chosen backups, or of everything (admin, NDJSON)', query: ['backup_id', 'all'],
    responses: { 200: null, 400: 'Fault', 403: 'Fault', 404: 'Fault' }, produces: 'application/x-ndjson',
  },
  'post /strata/v1/catalog/import': {
    tag: 'Strata', summary: 'Import a history file (admin, NDJSON body)', responses: { 200: null, 400: 'Fault', 403: 'Fault', 409: 'Fault' },
  },
  'post /strata/v1/catalog/rebuild': {
    tag: 'Strata', summary: 'Drop every read model and replay the log, retrying parked events (admin)', responses: { 200: null, 403: 'Fault' },
  },
  'get /strata/v1/catalog/failures': {
    tag: 'Strata', summary: 'Events the catalog parked because a projection could not apply them (admin)',
    responses: { 200: 'ProjectionFailureList', 403: 'Fault' },
  },
  'get /v3/backups/{backupId}/export_record': {
    tag: 'Backups', summary: "Cinder's export record: backup_service and backup_url (admin)", responses: { 200: 'BackupRecordEnvelope', 400: 'Fault', 403: 'Fault', 404: 'Fault' },
  },
  'post /v3/backups/import_record': {
    tag: 'Backups', summary: 'Import a Cinder export record (admin)', body: 'BackupRecordEnvelope',
    responses: { 201: 'BackupSummaryEnvelope', 400: 'Fault', 403: 'Fault' },
  },
  'post /strata/v1/backups/{backupId}/verify': {
    tag: 'Strata', summary: "Read the whole chain, check every object's md5 and every block's SHA-256, write nowhere (admin; a job)",
    responses: { 202: 'VerificationEnvelope', 400: 'Fault', 403: 'Fault', 404: 'Fault' },
  },
  'post /strata/v1/catalog/recover': {
    tag: 'Strata', summary: "Scan a repository for _metadata and import every backup the log lacks (admin)",
    responses: { 200: 'RecoveryEnvelope', 400: 'Fault', 403: 'Fault' },
  },
  'get /strata/v1/volumes/{volumeId}/backups': {
    tag: 'Strata', summary: "A volume's backups with their parents (full → incrementals), oldest data first", responses: { 200: 'ChainList', 404: 'Fault' },
  },
};

const schema = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const obj = (properties: Record<string, unknown>, required?: string[]) => ({ type: 'object', properties, ...(required ? { required } : {}) });
const str = { type: 'string' };
const strN = { type: 'string', nullable: true };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
const envelope = (key: string, inner: string) => obj({ [key]: schema(inner) }, [key]);
const listOf = (key: string, inner: string) => obj({ [key]: { type: 'array', items: schema(inner) } }, [key]);

const BACKUP = obj({
  id: str, name: strN, description: strN, status: str, size: int, object_count: int, availability_zone: strN, container: strN,
  created_at: str, updated_at: str, fail_reason: strN, volume_id: str, snapshot_id: strN, data_timestamp: str,
  is_incremental: bool, has_dependent_backups: bool, 'os-backup-project-attr:project_id': str, metadata: { type: 'object' }, user_id: str,
  links: { type: 'array', items: { type: 'object' } },
});
const JOB = obj({
  backup_id: str, kind: { type: 'string', enum: ['backup', 'restore'] }, volume_id: str, bytes_done: int,
  bytes_total: { type: 'integer', nullable: true }, objects_done: int, percent: { type: 'number', nullable: true }, started_at: str, updated_at: str,
});

const SCHEMAS: Record<string, unknown> = {
  Fault: {
    type: 'object', description: 'Cinder fault body: one key naming the fault (badRequest, itemNotFound, …).',
    additionalProperties: obj({ code: int, message: str }, ['code', 'message']),
  },
  Versions: obj({ versions: { type: 'array', items: obj({ id: str, status: str, version: str, min_version: str }) } }),
  Health: obj({ status: str, eventStore: obj({ reachable: bool, headPosition: int }) }),
  Readiness: obj({
    status: { type: 'string', enum: ['ready', 'degraded', 'not ready'] }, eventStore: obj({ reachable: bool, headPosition: int }),
    catalog: obj({ position: int, lagEvents: int, maxCatchUpMs: int, parkedEvents: int, degraded: str, error: str }),
  }),
  Backup: BACKUP,
  BackupSummary: obj({ id: str, name: strN, links: { type: 'array', items: { type: 'object' } } }),
  BackupEnvelope: envelope('backup', 'Backup'),
  BackupSummaryEnvelope: envelope('backup', 'BackupSummary'),
  BackupList: listOf('backups', 'Backup'),
  BackupSummaryList: listOf('backups', 'BackupSummary'),
  BackupCreate: obj({ backup: obj({ volume_id: str, name: strN, description: strN, container: strN, incremental: bool, force: bool, snapshot_id: strN, metadata: { type: 'object' } }, ['volume_id']) }, ['backup']),
  BackupUpdate: obj({ backup: obj({ name: strN, description: strN, metadata: { type: 'object' } }) }, ['backup']),
  BackupAction: obj({ 'os-reset_status': obj({ status: { type: 'string', enum: ['available', 'error'] } }), 'os-force_delete': { nullable: true } }),
  RestoreRequest: obj({ restore: obj({ volume_id: strN, name: strN }) }),
  RestoreEnvelope: obj({ restore: obj({ backup_id: str, volume_id: str, volume_name: strN }) }),
  Volume: obj({ id: str, name: strN, description: strN, status: str, size: int, availability_zone: str, created_at: str, bootable: str, attachments: { type: 'array', items: { type: 'object' } } }),
  VolumeEnvelope: envelope('volume', 'Volume'),
  VolumeList: listOf('volumes', 'Volume'),
  VolumeCreate: obj({ volume: obj({ size: int, name: strN, description: strN, metadata: { type: 'object' } }, ['size']) }, ['volume']),
  VolumeUpdate: obj({ volume: obj({ name: strN, description: strN, metadata: { type: 'object' } }) }, ['volume']),
  VolumeAction: obj({ 'os-attach': { type: 'object' }, 'os-detach': { type: 'object' }, 'os-unmanage': { type: 'object' } }),
  VolumeManage: obj({ volume: obj({ host: str, ref: { type: 'object' }, name: strN }, ['host', 'ref']) }, ['volume']),
  Snapshot: obj({ id: str, name: strN, description: strN, status: str, size: int, volume_id: str, created_at: str }),
  SnapshotEnvelope: envelope('snapshot', 'Snapshot'),
  SnapshotList: listOf('snapshots', 'Snapshot'),
  SnapshotCreate: obj({ snapshot: obj({ volume_id: str, name: strN, description: strN, force: bool }, ['volume_id']) }, ['snapshot']),
  ResourceFilters: obj({ resource_filters: { type: 'array', items: obj({ resource: str, filters: { type: 'array', items: str } }) } }),
  Job: JOB,
  JobEnvelope: envelope('job', 'Job'),
  JobList: listOf('jobs', 'Job'),
  ProgressEnvelope: obj({
    progress: obj({
      backup_id: str, status: str, volume_id: str, restore_volume_id: strN, size_bytes: int, stored_bytes: int, object_count: int,
      fail_reason: strN, job: { ...schema('Job'), nullable: true },
    }),
  }),
  ChainMember: obj({
    id: str, name: strN, status: str, volume_id: str, parent_id: strN, is_incremental: bool, size: int, size_bytes: int, stored_bytes: int,
    object_count: int, created_at: str, data_timestamp: str, fail_reason: strN,
  }),
  ChainList: listOf('backups', 'ChainMember'),
  Event: obj({
    position: int, event_id: str, stream_id: str, revision: int, type: str, entity_kind: str, entity_id: str, occurred_at: str,
    recorded_at: str, user_id: strN, project_id: strN, request_id: strN, correlation_id: strN, causation_id: strN, data: { type: 'object' },
  }),
  BackupRecordEnvelope: obj({ 'backup-record': obj({ backup_service: str, backup_url: str }, ['backup_service', 'backup_url']) }, ['backup-record']),
  VerificationEnvelope: obj({ verification: obj({ verification_id: str, result: str }) }),
  RecoveryEnvelope: obj({ recovery: obj({ repository: str, recovered: { type: 'array', items: { type: 'object' } }, incomplete: { type: 'array', items: { type: 'object' } }, skipped: { type: 'array', items: { type: 'object' } } }) }),
  ProjectionFailureList: obj({
    failures: { type: 'array', items: obj({ position: int, event_id: str, stream_id: str, type: str, projection: str, error: str, parked_at: str }) },
  }, ['failures']),
  EventList: obj({ events: { type: 'array', items: schema('Event') }, events_links: { type: 'array', items: { type: 'object' } } }, ['events']),
};

/** The doc key of a route: the same operation with or without Cinder's optional project segment. */
const docKey = (r: Route) => `${r.method} ${r.path.replace(/^\/v3\/\{projectId\}(?=\/|$)/, '/v3')}`;

const paramsOf = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: str }));

const operation = (route: Route) => {
  const doc = ROUTE_DOCS[docKey(route)];
  const parameters = [
    ...paramsOf(route.path),
    ...(doc?.query ?? []).map((name) => ({ name, in: 'query', required: false, schema: str })),
    ...(doc?.auth === false ? [] : [{ name: 'OpenStack-API-Version', in: 'header', required: false, schema: str, example: 'volume 3.70' }]),
  ];
  const responses = Object.fromEntries(Object.entries(doc?.responses ?? { 200: null }).map(([status, body]) => [status, {
    description: Number(status) < 400 ? 'OK' : 'Cinder fault',
    ...(body ? { content: { 'application/json': { schema: schema(body) } } }
      : doc?.produces ? { content: { [doc.produces]: { schema: str } } } : {}),
  }]));
  return {
    operationId: `${route.method}${route.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}` || route.method,
    summary: doc?.summary ?? `${route.method.toUpperCase()} ${route.path}`,
    tags: [doc?.tag ?? 'Strata'],
    ...(doc ? {} : { 'x-strata-undocumented': true }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(doc?.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(doc.body) } } } } : {}),
    responses,
    ...(doc?.auth === false ? { security: [] } : {}),
  };
};

/** OpenAPI 3.0 for every route served, from the route table and the docs above. */
export const openApiDocument = (routes: readonly Route[], serverUrl?: string) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method] = operation(route);
  return {
    openapi: '3.0.3',
    info: {
      title: 'Strata',
      version: '0.1.0',
      description: "OpenStack Cinder's Block Storage v3 backup API (with the volume and snapshot calls clients need around it), "
        + 'plus /strata/v1 for progress, chains and operations. Errors are Cinder fault bodies. See docs/api.md.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    tags: ['Versions', 'Backups', 'Volumes', 'Snapshots', 'Strata', 'Operations'].map((name) => ({ name })),
    security: [{ token: [] }],
    paths,
    components: {
      securitySchemes: {
        token: { type: 'apiKey', in: 'header', name: 'X-Auth-Token', description: 'noauth: `user:project`; tokens: a token of token_file' },
      },
      schemas: SCHEMAS,
    },
  };
};
