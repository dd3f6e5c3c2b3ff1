import { HttpFault } from '../errors/cinder-fault';
import { envelope, onlyKeys, optionalMetadata, optionalString, optionalUuid, positiveInteger, type Body } from '../validation/body-schema';

export const parseCreateVolume = (body: unknown) => {
  const v = envelope(body, 'volume');
  const size = positiveInteger(v, 'size');
  if (size === undefined) throw HttpFault.badRequest("'size' is a required property");
  return {
    sizeGb: size,
    name: optionalString(v, 'name', { strip: true }) ?? null,
    description: optionalString(v, 'description', { strip: true }) ?? null,
    availabilityZone: optionalString(v, 'availability_zone') ?? null,
    volumeType: optionalString(v, 'volume_type') ?? null,
    metadata: optionalMetadata(v) ?? {},
    encryptionKeyId: optionalUuid(v, 'encryption_key_id') ?? null,
  };
};

export const parseUpdateVolume = (body: unknown) => {
  const v = envelope(body, 'volume');
  onlyKeys(v, ['name', 'description', 'metadata', 'display_name', 'display_description']);
  return {
    name: optionalString(v, 'name', { strip: true }) ?? optionalString(v, 'display_name', { strip: true }),
    description: optionalString(v, 'description', { strip: true }) ?? optionalString(v, 'display_description', { strip: true }),
    metadata: optionalMetadata(v) ?? undefined,
  };
};

/** `cinder manage HOST IDENTIFIER`: `{"volume": {"host", "ref": {"source-name": PATH}, ...}}`. */
export const parseManageVolume = (body: unknown) => {
  const v = envelope(body, 'volume');
  const ref = v.ref as Body | string | undefined;
  const path = typeof ref === 'string' ? ref : ref && typeof ref === 'object' ? (ref['source-name'] ?? ref['source-id']) : undefined;
  if (typeof path !== 'string' || path.length === 0) throw HttpFault.badRequest("Manage volume needs 'ref' with a 'source-name' path");
  return {
    ref: path,
    name: optionalString(v, 'name', { strip: true }) ?? null,
    description: optionalString(v, 'description', { strip: true }) ?? null,
    availabilityZone: optionalString(v, 'availability_zone') ?? null,
    volumeType: optionalString(v, 'volume_type') ?? null,
    metadata: optionalMetadata(v) ?? {},
  };
};
