import {
  at,
  exactly,
  int,
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
 * Cinder's snapshot views, from its source: api/views/snapshots.py (`summary`, which the plain list shows,
 * and `detail`), api/v3/views/snapshots.py (the microversion additions) and the
 * extended_snapshot_attributes extension, which adds its two keys to `show` and `detail` for every reader.
 */
const summaryProperties = {
  id: uuid,
  created_at: time,
  updated_at: timeOrNull,
  name: strOrNull,
  description: strOrNull,
  volume_id: uuid,
  status: str,
  size: int,
  metadata: stringMap,
};

export const snapshotSummarySchema: JsonSchema = exactly(summaryProperties);

export const snapshotDetailSchema = (r: ViewRequest, kind: 'show' | 'answer'): JsonSchema => {
  const properties: Record<string, JsonSchema> = { ...summaryProperties };
  if (at(r, '3.14')) properties.group_snapshot_id = uuidOrNull;
  if (at(r, '3.41')) properties.user_id = str;
  if (at(r, '3.65')) properties.consumes_quota = { type: 'boolean' };
  if (kind === 'show') {
    properties['os-extended-snapshot-attributes:project_id'] = str;
    properties['os-extended-snapshot-attributes:progress'] = { type: 'string', pattern: '^\\d{1,3}%$' };
  }
  return exactly(properties);
};
