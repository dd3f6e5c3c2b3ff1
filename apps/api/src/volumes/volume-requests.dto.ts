import { HttpFault } from '../errors/cinder-fault';
import { AnyOfRequired, Field, LooseField, MetadataField, NestedField } from '../validation/cinder-fields';
import { envelope } from '../validation/envelope';
import { all, lengthBetween, ofType, oneOfValues, P } from '../validation/json-schema-rules';
import { cinderBoolean, textOf, uuidOf } from '../validation/request-values';

/** `POST /volumes` (cinder/api/schemas/volumes.py `create`), 3.0–3.12. */
export class VolumeCreate {
  @Field(P.volumeName) name?: string | null;
  @Field(P.volumeDescription) description?: string | null;
  @Field(P.volumeName) display_name?: string | null;
  @Field(P.volumeDescription) display_description?: string | null;
  @Field(P.nullableString) volume_type?: string | null;
  @MetadataField({ nullable: true }) metadata?: Record<string, string> | null;
  @Field(P.optionalUuid) snapshot_id?: string | null;
  @Field(P.optionalUuid) source_volid?: string | null;
  @Field(P.optionalUuid) consistencygroup_id?: string | null;
  @Field(P.volumeSize) size?: number | string | null;
  @Field(P.availabilityZone) availability_zone?: string | null;
  @Field(P.optionalBoolean) multiattach?: boolean | string | null;
  @Field(P.nullableString) image_id?: string | null;
  @Field(P.nullableString) imageRef?: string | null;
  /** Strata's own: the Barbican key of a volume encrypted outside Strata, carried into its backups as Cinder does. */
  @Field(P.optionalUuid) encryption_key_id?: string | null;
}

/** `create_volume_v313`: adds `group_id`. */
export class VolumeCreateV313 extends VolumeCreate {
  @Field(P.nullableString) group_id?: string | null;
}

/** `create_volume_v347`: adds `backup_id`. */
export class VolumeCreateV347 extends VolumeCreateV313 {
  @Field(P.optionalUuid) backup_id?: string | null;
}

/** The body: the volume, and the scheduler hints Cinder takes beside it (Strata has one host, so it honours none). */
const bodyOf = (payload: new () => VolumeCreate, name: string) => {
  class Body {}
  NestedField(() => payload, { required: true })(Body.prototype, 'volume');
  LooseField(['object', 'null'], { type: 'object', nullable: true })(Body.prototype, 'OS-SCH-HNT:scheduler_hints');
  Object.defineProperty(Body, 'name', { value: name });
  return Body;
};

/**
 * Cinder takes keys it does not know before 3.53 and drops them; Strata refuses them at every microversion
 * (create_volume_v353's rule), since a dropped key is a request not honoured.
 */
export const VOLUME_CREATE_BODIES = {
  '3.0': bodyOf(VolumeCreate, 'VolumeCreateBody'),
  '3.13': bodyOf(VolumeCreateV313, 'VolumeCreateV313Body'),
  '3.47': bodyOf(VolumeCreateV347, 'VolumeCreateV347Body'),
};

/** Sources of a new volume Strata does not create from yet: given, they are refused, never dropped. */
const UNSUPPORTED_SOURCES = [
  ['imageRef', 'an image'],
  ['image_id', 'an image'],
  ['consistencygroup_id', 'a consistency group'],
  ['group_id', 'a group'],
] as const;

export const createVolumeRequest = (body: { volume: VolumeCreateV347; 'OS-SCH-HNT:scheduler_hints'?: Record<string, unknown> | null }) => {
  const v = body.volume;
  for (const [key, what] of UNSUPPORTED_SOURCES)
    if (v[key] !== undefined && v[key] !== null && v[key] !== '')
      throw HttpFault.badRequest(`Invalid input received: Strata does not create a volume from ${what} yet; '${key}' cannot be honoured.`);
  if (cinderBoolean(v.multiattach))
    throw HttpFault.badRequest('Invalid input received: Strata volumes attach to one instance at a time; multiattach cannot be honoured.');
  const hints = body['OS-SCH-HNT:scheduler_hints'];
  if (hints && Object.keys(hints).length > 0)
    throw HttpFault.badRequest('Invalid input received: Strata has one back end; scheduler hints cannot be honoured.');
  const source = {
    snapshotId: uuidOf(v.snapshot_id) ?? null,
    sourceVolid: uuidOf(v.source_volid) ?? null,
    backupId: uuidOf(v.backup_id) ?? null,
  };
  const fromSource = source.snapshotId !== null || source.sourceVolid !== null || source.backupId !== null;
  // Cinder's size defaults to the source's; a blank volume needs one.
  if ((v.size === undefined || v.size === null) && !fromSource) throw HttpFault.badRequest("'size' is a required property");
  return {
    source,
    sizeGb: v.size === undefined || v.size === null ? null : Number(v.size),
    name: textOf(v.name ?? v.display_name, { strip: true }) ?? null,
    description: textOf(v.description ?? v.display_description, { strip: true }) ?? null,
    availabilityZone: v.availability_zone ?? null,
    volumeType: v.volume_type ?? null,
    metadata: v.metadata ?? {},
    encryptionKeyId: uuidOf(v.encryption_key_id) ?? null,
  };
};

/** `PUT /volumes/{id}` (`update`). */
export class VolumeUpdate {
  @Field(P.volumeName) name?: string | null;
  @Field(P.volumeDescription) description?: string | null;
  @Field(P.volumeName) display_name?: string | null;
  @Field(P.volumeDescription) display_description?: string | null;
  @MetadataField({ nullable: false }) metadata?: Record<string, string>;
}

/** `update_volume_v353`: at least one of the fields. */
@AnyOfRequired('name', 'description', 'display_name', 'display_description', 'metadata')
export class VolumeUpdateV353 extends VolumeUpdate {}

export const VOLUME_UPDATE_BODIES = { '3.0': envelope('volume', VolumeUpdate), '3.53': envelope('volume', VolumeUpdateV353) };

export const updateVolumeRequest = (v: VolumeUpdate) => ({
  name: textOf(v.name !== undefined ? v.name : v.display_name, { strip: true }),
  description: textOf(v.description !== undefined ? v.description : v.display_description, { strip: true }),
  metadata: v.metadata,
});

/** `os-volume-manage` (volume_manage.py `volume_manage_create`): `cinder manage HOST IDENTIFIER`. */
export class VolumeManage {
  @Field(P.description) description?: string | null;
  @Field(P.nullableString) availability_zone?: string | null;
  @Field(P.boolean) bootable?: boolean | string;
  @Field(P.nullableString) volume_type?: string | null;
  @Field(P.nullableString) name?: string | null;
  @Field(P.host) host?: string | null;
  @LooseField(
    ['object', 'string'],
    { oneOf: [{ type: 'string' }, { type: 'object', properties: { 'source-name': { type: 'string' } } }] },
    { required: true, description: 'The path of a file or block device: a string, or {"source-name": PATH}' },
  )
  ref!: Record<string, unknown> | string;
  @MetadataField({ nullable: true }) metadata?: Record<string, string> | null;
}

/** `volume_manage_create_v316`: adds `cluster`. */
export class VolumeManageV316 extends VolumeManage {
  @Field(P.nullableString) cluster?: string | null;
}

export const VOLUME_MANAGE_BODIES = { '3.0': envelope('volume', VolumeManage), '3.16': envelope('volume', VolumeManageV316) };

export const manageVolumeRequest = (v: VolumeManageV316) => {
  const ref = typeof v.ref === 'string' ? v.ref : (v.ref['source-name'] ?? v.ref['source-id']);
  if (typeof ref !== 'string' || ref.length === 0 || ref.length > 4096)
    throw HttpFault.badRequest("Manage volume needs 'ref' with a 'source-name' path");
  if (v.cluster) throw HttpFault.badRequest('Invalid input received: Strata has no clusters; cluster cannot be honoured.');
  return {
    ref,
    name: textOf(v.name, { strip: true }) ?? null,
    description: textOf(v.description, { strip: true }) ?? null,
    availabilityZone: v.availability_zone ?? null,
    volumeType: v.volume_type ?? null,
    metadata: v.metadata ?? {},
    bootable: cinderBoolean(v.bootable) ?? false,
  };
};

/** `os-attach` (volume_actions.py `attach`). */
@AnyOfRequired('instance_uuid', 'host_name')
export class VolumeAttach {
  @Field(P.uuid) instance_uuid?: string;
  @Field(
    { check: all(ofType('string'), lengthBetween(1, 255)), openapi: { type: 'string', minLength: 1, maxLength: 255 } },
    { required: true },
  )
  mountpoint!: string;
  @Field(P.anyString(255)) host_name?: string;
  @Field({ check: all(ofType('string'), oneOfValues(['rw', 'ro'])), openapi: { type: 'string', enum: ['rw', 'ro'] } })
  mode?: 'rw' | 'ro';
}

export const VOLUME_ATTACH_BODY = envelope('os-attach', VolumeAttach);

export const attachVolumeRequest = (a: VolumeAttach) => {
  if (a.mode === 'ro')
    throw HttpFault.badRequest('Invalid input received: Strata attaches volumes read-write only; mode ro cannot be honoured.');
  return { instanceUuid: uuidOf(a.instance_uuid) ?? null, hostName: a.host_name ?? null, mountpoint: a.mountpoint };
};

/** `os-detach` (`detach`): null, or an attachment id (a volume has one attachment here). */
export class VolumeDetach {
  @Field(P.uuidAllowNull) attachment_id?: string | null;
}

export const VOLUME_DETACH_BODY = envelope('os-detach', VolumeDetach, { nullable: true });

/** `os-unmanage` takes no parameters. */
export class VolumeUnmanage {}

export const VOLUME_UNMANAGE_BODY = envelope('os-unmanage', VolumeUnmanage, { nullable: true });
