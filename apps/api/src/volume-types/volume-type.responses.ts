/** The response bodies of the volume type routes, for the OpenAPI document (see operations/openapi-responses.ts). */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const str = { type: 'string' };
const strN = { type: 'string', nullable: true };
const specs = { type: 'object', additionalProperties: strN };

const ENCRYPTION = {
  type: 'object',
  properties: {
    volume_type_id: str,
    encryption_id: str,
    provider: str,
    control_location: { type: 'string', enum: ['front-end', 'back-end'] },
    cipher: strN,
    key_size: { type: 'integer', nullable: true },
    created_at: str,
    updated_at: strN,
    deleted: { type: 'boolean' },
    deleted_at: strN,
  },
};

export const VOLUME_TYPE_RESPONSE_SCHEMAS: Record<string, unknown> = {
  VolumeType: {
    type: 'object',
    properties: {
      id: str,
      name: str,
      description: strN,
      is_public: { type: 'boolean' },
      extra_specs: specs,
      qos_specs_id: strN,
      'os-volume-type-access:is_public': { type: 'boolean' },
    },
  },
  VolumeTypeEnvelope: { type: 'object', properties: { volume_type: ref('VolumeType') }, required: ['volume_type'] },
  VolumeTypeList: {
    type: 'object',
    properties: {
      volume_types: { type: 'array', items: ref('VolumeType') },
      volume_type_links: { type: 'array', items: { type: 'object' } },
    },
    required: ['volume_types'],
  },
  ExtraSpecsEnvelope: { type: 'object', properties: { extra_specs: specs }, required: ['extra_specs'] },
  ExtraSpec: { ...specs, description: 'One extra spec: {"<key>": value}' },
  VolumeTypeEncryption: ENCRYPTION,
  VolumeTypeEncryptionEnvelope: { type: 'object', properties: { encryption: ENCRYPTION }, required: ['encryption'] },
  VolumeTypeEncryptionField: { type: 'object', description: 'One field of the encryption specs: {"<field>": value}' },
  VolumeTypeAccessList: {
    type: 'object',
    properties: { volume_type_access: { type: 'array', items: { type: 'object', properties: { volume_type_id: str, project_id: str } } } },
    required: ['volume_type_access'],
  },
};
