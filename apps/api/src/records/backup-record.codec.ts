import { InvalidInput, type ImportedBackupFields } from '@strata/domain';

/**
 * Cinder's export record (`Backup.encode_record` / `decode_record`, reference §7): standard base64 of
 * `json.dumps` of `{"driver_info": {}}` followed by every Backup field but `parent`, in Cinder's field order.
 */
export interface CinderBackupRecord {
  readonly id: string;
  readonly user_id: string;
  readonly project_id: string;
  readonly volume_id: string;
  readonly host: string | null;
  readonly availability_zone: string | null;
  readonly container: string | null;
  readonly parent_id: string | null;
  readonly status: string;
  readonly fail_reason: string | null;
  readonly size: number;
  readonly display_name: string | null;
  readonly display_description: string | null;
  readonly service_metadata: string | null;
  readonly service: string | null;
  readonly object_count: number;
  readonly temp_volume_id: string | null;
  readonly temp_snapshot_id: string | null;
  readonly num_dependent_backups: number;
  readonly snapshot_id: string | null;
  readonly data_timestamp: string | null;
  readonly restore_volume_id: string | null;
  readonly metadata: Record<string, string>;
  readonly encryption_key_id: string | null;
  readonly created_at: string | null;
  readonly updated_at: string | null;
  readonly deleted_at: string | null;
  readonly deleted: boolean;
}

const FIELD_ORDER: readonly (keyof CinderBackupRecord)[] = [
  'id',
  'user_id',
  'project_id',
  'volume_id',
  'host',
  'availability_zone',
  'container',
  'parent_id',
  'status',
  'fail_reason',
  'size',
  'display_name',
  'display_description',
  'service_metadata',
  'service',
  'object_count',
  'temp_volume_id',
  'temp_snapshot_id',
  'num_dependent_backups',
  'snapshot_id',
  'data_timestamp',
  'restore_volume_id',
  'metadata',
  'encryption_key_id',
  'created_at',
  'updated_at',
  'deleted_at',
  'deleted',
];

type Json = null | boolean | number | string | { readonly [key: string]: Json };

/** Python's ensure_ascii escaping. */
const pyString = (s: string) =>
  `"${s.replace(
    /[\\"]|[^ -~]/g,
    (c) =>
      ({ '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' })[c] ??
      `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )}"`;

/** `json.dumps(value)` with its default separators `, ` and `: `, keys in insertion order. */
const pyDumps = (v: Json): string => {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return pyString(v);
  return `{${Object.entries(v)
    .map(([k, x]) => `${pyString(k)}: ${pyDumps(x)}`)
    .join(', ')}}`;
};

/** The OVO `isotime` Cinder writes into records: `YYYY-MM-DDTHH:MM:SSZ`, microseconds dropped. */
export const recordTime = (iso: string | null): string | null => (iso ? `${new Date(iso).toISOString().slice(0, 19)}Z` : null);

export const encodeBackupRecord = (record: CinderBackupRecord): string => {
  const ordered: Record<string, Json> = { driver_info: {} };
  for (const key of FIELD_ORDER) ordered[key] = record[key] as Json;
  return Buffer.from(pyDumps(ordered), 'utf8').toString('base64');
};

const cantParse = () => new InvalidInput("Invalid input received: Can't parse backup record.");
const missingId = () => new InvalidInput('Invalid input received: Provided backup record is missing an id');

/**
 * Python's non-strict b64decode: characters outside the standard alphabet are discarded (so URL-safe
 * base64 does not decode), and the padding must be right. Bad base64 is Cinder's "Can't decode", bad
 * JSON its "Can't parse".
 */
export const decodeBackupRecord = (url: string): Record<string, unknown> => {
  const clean = url.replace(/[^A-Za-z0-9+/=]/g, '');
  if (clean.length % 4 !== 0 || /=[^=]/.test(clean)) throw new InvalidInput("Invalid input received: Can't decode backup record.");
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(clean, 'base64')));
  } catch {
    throw cantParse();
  }
  // A JSON list has no `id` in Cinder's eyes; any other non-object is not a record at all.
  if (Array.isArray(parsed)) throw missingId();
  if (typeof parsed !== 'object' || parsed === null) throw cantParse();
  return parsed as Record<string, unknown>;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const text = (r: Record<string, unknown>, key: string): string | null | undefined => {
  if (!(key in r)) return undefined;
  const v = r[key];
  if (v === null || typeof v === 'string') return v;
  throw cantParse();
};
const count = (r: Record<string, unknown>, key: string): number | undefined => {
  if (!(key in r)) return undefined;
  const v = r[key] ?? 0;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw cantParse();
  return v;
};
/** Cinder parses `…Z`, full ISO 8601 and naive times (taken as UTC). */
const time = (r: Record<string, unknown>, key: string): string | null | undefined => {
  const v = text(r, key);
  if (!v) return v;
  const parsed = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
  if (Number.isNaN(parsed.getTime())) throw cantParse();
  return parsed.toISOString();
};
const stringMap = (r: Record<string, unknown>, key: string): Record<string, string> | undefined => {
  if (!(key in r) || r[key] === null) return key in r ? {} : undefined;
  const v = r[key];
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v as object).some((x) => typeof x !== 'string')) throw cantParse();
  return v as Record<string, string>;
};

/** What an import keeps of a decoded record; `id` and `size` are required as by Cinder's API. */
export const importedFieldsOf = (r: Record<string, unknown>): { backupId: string; fields: ImportedBackupFields } => {
  if (!('id' in r)) throw missingId();
  if (!('size' in r)) throw new InvalidInput('Invalid input received: Provided backup record is missing size attribute');
  const id = r.id;
  if (typeof id !== 'string' || !UUID.test(id)) throw new InvalidInput(`Invalid input received: Backup id ${String(id)} is not a UUID.`);
  const lower = (v: string | null | undefined) => (typeof v === 'string' ? v.toLowerCase() : v);
  return {
    backupId: id.toLowerCase(),
    fields: {
      volumeId: lower(text(r, 'volume_id')) ?? undefined,
      snapshotId: text(r, 'snapshot_id'),
      parentId: lower(text(r, 'parent_id')),
      name: text(r, 'display_name'),
      description: text(r, 'display_description'),
      container: text(r, 'container'),
      objectPrefix: text(r, 'service_metadata'),
      sizeGb: count(r, 'size'),
      objectCount: count(r, 'object_count'),
      metadata: stringMap(r, 'metadata'),
      encryptionKeyId: text(r, 'encryption_key_id'),
      createdAt: time(r, 'created_at'),
      dataTimestamp: time(r, 'data_timestamp'),
    },
  };
};
