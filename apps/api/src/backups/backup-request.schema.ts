import { atLeast, type Microversion } from '../context/microversion';
import { HttpFault } from '../errors/cinder-fault';
import {
  envelope, onlyKeys, optionalBoolean, optionalMetadata, optionalString, optionalUuid, requiredKey,
} from '../validation/body-schema';

/** POST /backups, as cinder/api/schemas/backups.py accepts it per microversion. */
export const parseCreateBackup = (body: unknown, v: Microversion) => {
  const b = envelope(body, 'backup');
  const allowed = ['volume_id', 'container', 'description', 'incremental', 'force', 'name', 'snapshot_id'];
  if (atLeast(v, '3.43')) allowed.push('metadata');
  if (atLeast(v, '3.51')) allowed.push('availability_zone');
  onlyKeys(b, allowed);
  requiredKey(b, 'volume_id');
  const volumeId = optionalUuid(b, 'volume_id');
  if (!volumeId) throw HttpFault.badRequest("'volume_id' is a required property");
  return {
    volumeId,
    name: optionalString(b, 'name', { strip: true }) ?? null,
    description: optionalString(b, 'description', { strip: true }) ?? null,
    container: optionalString(b, 'container') ?? null,
    incremental: optionalBoolean(b, 'incremental') ?? false,
    force: optionalBoolean(b, 'force') ?? false,
    snapshotId: optionalUuid(b, 'snapshot_id') ?? null,
    metadata: optionalMetadata(b) ?? {},
    availabilityZone: optionalString(b, 'availability_zone') ?? null,
  };
};

/** PUT /backups/{id} (≥ 3.9); `{"backup": null}` is treated as an empty update instead of Cinder's 500. */
export const parseUpdateBackup = (body: unknown, v: Microversion) => {
  const b = envelope(body, 'backup', { nullable: true });
  onlyKeys(b, atLeast(v, '3.43') ? ['name', 'description', 'metadata'] : ['name', 'description']);
  return {
    name: optionalString(b, 'name', { strip: true }),
    description: optionalString(b, 'description', { strip: true }),
    metadata: optionalMetadata(b) ?? undefined,
  };
};

/** POST /backups/{id}/restore; `{"restore": null}` means a new volume, instead of Cinder's 500. */
export const parseRestore = (body: unknown) => {
  const r = envelope(body, 'restore', { nullable: true });
  onlyKeys(r, ['volume_id', 'name']);
  return { volumeId: optionalUuid(r, 'volume_id') ?? null, name: optionalString(r, 'name') ?? null };
};

/** POST /backups/{id}/action: exactly one action key. */
export const parseAction = (body: unknown): { action: string; value: unknown } => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw HttpFault.badRequest('Malformed request body');
  const keys = Object.keys(body);
  if (keys.length !== 1) throw HttpFault.badRequest(keys.length === 0 ? 'Malformed request body' : 'too many body keys');
  return { action: keys[0], value: (body as Record<string, unknown>)[keys[0]] };
};

export const parseResetStatus = (value: unknown): string => {
  const r = envelope({ 'os-reset_status': value }, 'os-reset_status');
  onlyKeys(r, ['status']);
  requiredKey(r, 'status');
  const status = optionalString(r, 'status');
  if (typeof status !== 'string') throw HttpFault.badRequest("'status' is a required property");
  return status;
};
