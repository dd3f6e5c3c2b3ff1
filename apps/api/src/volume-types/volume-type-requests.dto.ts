import { DB_MAX_INT, MAX_TEXT_LENGTH, type ControlLocation, type ExtraSpecs } from '@strata/domain';
import { HttpFault } from '../errors/cinder-fault';
import { Field, MetadataField } from '../validation/cinder-fields';
import { envelope } from '../validation/envelope';
import { all, lengthBetween, ofType, oneOfValues, P, whole, type FieldRule, type Rule } from '../validation/json-schema-rules';
import { pyRepr, pyStr } from '../validation/py-repr';
import { cinderBoolean, textOf } from '../validation/request-values';
import { extraSpecsRule, SPEC_KEY, SPEC_KEY_NO_SPACES } from './extra-specs-rule';

/** `parameter_types.name`: 1 to 255 characters, and not white space alone (the `name` format's InvalidName). */
const TYPE_NAME: FieldRule = {
  check: all(ofType('string'), lengthBetween(1, MAX_TEXT_LENGTH), (value) =>
    typeof value === 'string' && value.trim().length === 0
      ? whole("An invalid 'name' value was provided. The 'name' can not be empty.")
      : null,
  ),
  openapi: { type: 'string', minLength: 1, maxLength: MAX_TEXT_LENGTH },
};

/** `parameter_types.update_name`: a string of 1 to 255, or null. */
const UPDATE_NAME: FieldRule = {
  check: all(ofType('string', 'null'), lengthBetween(1, MAX_TEXT_LENGTH)),
  openapi: { type: 'string', nullable: true, minLength: 1, maxLength: MAX_TEXT_LENGTH },
};

/** POST /types (cinder/api/schemas/volume_types.py `create`). */
export class VolumeTypeCreate {
  @Field(TYPE_NAME, { required: true }) name!: string;
  @Field(P.description) description?: string | null;
  @MetadataField({
    nullable: false,
    rule: extraSpecsRule(SPEC_KEY),
    description: 'Keys of 1-255 characters of [a-zA-Z0-9-_:. /], values of at most 255 characters or null',
  })
  extra_specs?: ExtraSpecs;
  @Field(P.boolean) 'os-volume-type-access:is_public'?: boolean | string;
}

export const VOLUME_TYPE_CREATE_BODY = envelope('volume_type', VolumeTypeCreate);

export const createVolumeTypeRequest = (t: VolumeTypeCreate) => ({
  name: t.name,
  description: t.description ?? null,
  isPublic: cinderBoolean(t['os-volume-type-access:is_public']) ?? true,
  extraSpecs: t.extra_specs ?? {},
});

/** PUT /types/{id} (`update`): any of the three; none at all is refused by the decider with Cinder's text. */
export class VolumeTypeUpdate {
  @Field(UPDATE_NAME) name?: string | null;
  @Field(P.description) description?: string | null;
  @Field(P.boolean) is_public?: boolean | string;
}

export const VOLUME_TYPE_UPDATE_BODY = envelope('volume_type', VolumeTypeUpdate);

/** Cinder treats null as "not given" for all three. */
export const updateVolumeTypeRequest = (t: VolumeTypeUpdate) => ({
  name: t.name ?? undefined,
  description: textOf(t.description) ?? undefined,
  isPublic: cinderBoolean(t.is_public),
});

/** POST /types/{id}/extra_specs (types_extra_specs.py `create`). */
export class VolumeTypeExtraSpecsCreate {
  @MetadataField({
    nullable: false,
    rule: extraSpecsRule(SPEC_KEY_NO_SPACES),
    required: true,
    description: 'Keys of 1-255 characters of [a-zA-Z0-9-_:.], values of at most 255 characters or null',
  })
  extra_specs!: ExtraSpecs;
}

/**
 * PUT /types/{id}/extra_specs/{key} (`update`): the body is the one spec itself, `{"<key>": value}`, so no
 * DTO can declare it; checked here in jsonschema's order and words (the errors of the top-level object
 * carry no field name, those of a value name its key).
 */
export const extraSpecUpdateBody = (raw: unknown): ExtraSpecs => {
  const problem = extraSpecsRule(SPEC_KEY_NO_SPACES)(raw);
  if (problem) {
    const value = problem.field === 'self' ? raw : (raw as Record<string, unknown>)[problem.field];
    throw HttpFault.badRequest(
      problem.field === 'self'
        ? problem.message
        : `Invalid input for field/attribute ${problem.field}. Value: ${pyStr(value)}. ${problem.message}`,
    );
  }
  const body = raw as ExtraSpecs;
  const count = Object.keys(body).length;
  if (count < 1) throw HttpFault.badRequest(`${pyRepr(body)} does not have enough properties`);
  if (count > 1) throw HttpFault.badRequest(`${pyRepr(body)} has too many properties`);
  return body;
};

/** The one spec must be the one the path names. */
export const assertSpecOfPath = (body: ExtraSpecs, key: string): void => {
  if (!Object.prototype.hasOwnProperty.call(body, key)) throw HttpFault.badRequest('Request body and URI mismatch');
};

/** The document of that body, for the OpenAPI description. */
export const EXTRA_SPEC_UPDATE_SCHEMA = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  description:
    'One extra spec, named as in the path: {"<key>": "<value>"} (a key of [a-zA-Z0-9-_:.], a value of at most 255 characters or null)',
  additionalProperties: { type: 'string', nullable: true, maxLength: MAX_TEXT_LENGTH },
};

/** Python's int() and float() of a string, as Cinder's minimum and maximum read one; null when neither takes it. */
const pythonNumber = (value: string): { n: number; float: boolean } | null => {
  const text = value.trim();
  if (/^[-+]?\d+(_\d+)*$/.test(text)) return { n: Number(text.replace(/_/g, '')), float: false };
  if (/^[-+]?(\d+(_\d+)*(\.(\d+(_\d+)*)?)?|\.\d+(_\d+)*)([eE][-+]?\d+(_\d+)*)?$/.test(text))
    return { n: Number(text.replace(/_/g, '')), float: true };
  if (/^[-+]?(inf|infinity)$/i.test(text)) return { n: text.startsWith('-') ? -Infinity : Infinity, float: true };
  return null;
};
const floatRepr = (n: number) => (Number.isFinite(n) ? (Number.isInteger(n) ? `${n}.0` : String(n)) : n > 0 ? 'inf' : '-inf');

/** `parameter_types.key_size`: a string or integer from 0 to DB_MAX_INT, or null; the `key_size` format wants it int-like. */
const keySizeRange: Rule = (value) => {
  const parsed = typeof value === 'number' ? { n: value, float: false } : typeof value === 'string' ? pythonNumber(value) : null;
  if (parsed === null || Number.isNaN(parsed.n)) return null;
  const shown = parsed.float ? floatRepr(parsed.n) : pyRepr(parsed.n);
  if (parsed.n < 0) return `${shown} is less than the minimum of 0`;
  if (parsed.n > DB_MAX_INT) return `${shown} is greater than the maximum of ${DB_MAX_INT}`;
  return null;
};
/** oslo's `strutils.is_int_like`: `str(int(value)) == str(value)`. */
const intLike = (value: unknown) =>
  typeof value === 'number' ? Number.isInteger(value) : typeof value === 'string' && /^(0|-?[1-9]\d*)$/.test(value);
const KEY_SIZE: FieldRule = {
  check: all(ofType('string', 'integer', 'null'), keySizeRange, (value) =>
    value === null || intLike(value) ? null : whole('Invalid input received: key_size must be an integer.'),
  ),
  openapi: {
    oneOf: [
      { type: 'integer', minimum: 0, maximum: DB_MAX_INT },
      { type: 'string', pattern: '^-?[0-9]+$' },
    ],
    nullable: true,
  },
};
const CONTROL_LOCATIONS = ['front-end', 'back-end'] as const;
const CONTROL_LOCATION: FieldRule = { check: oneOfValues(CONTROL_LOCATIONS), openapi: { type: 'string', enum: CONTROL_LOCATIONS } };

/**
 * POST /types/{id}/encryption (volume_type_encryption.py `create`). Cinder's schema takes other keys too
 * and then ignores them; Strata refuses them, as it refuses every key it would not honour.
 */
export class VolumeTypeEncryptionCreate {
  @Field(KEY_SIZE) key_size?: string | number | null;
  @Field(P.anyString(MAX_TEXT_LENGTH), { required: true }) provider!: string;
  @Field(CONTROL_LOCATION, { required: true }) control_location!: ControlLocation;
  @Field(P.nullableString) cipher?: string | null;
}

/** `update`: the same fields, none required. */
export class VolumeTypeEncryptionUpdate {
  @Field(KEY_SIZE) key_size?: string | number | null;
  @Field(P.anyString(MAX_TEXT_LENGTH)) provider?: string;
  @Field(CONTROL_LOCATION) control_location?: ControlLocation;
  @Field(P.nullableString) cipher?: string | null;
}

export const VOLUME_TYPE_ENCRYPTION_CREATE_BODY = envelope('encryption', VolumeTypeEncryptionCreate);
export const VOLUME_TYPE_ENCRYPTION_UPDATE_BODY = envelope('encryption', VolumeTypeEncryptionUpdate);

const keySizeOf = (value: string | number | null | undefined) => (value === undefined ? undefined : value === null ? null : Number(value));

export const encryptionRequest = (e: VolumeTypeEncryptionUpdate) => ({
  provider: e.provider,
  controlLocation: e.control_location,
  cipher: e.cipher,
  keySize: keySizeOf(e.key_size),
});

/** What Cinder answers a create or update with: the body as sent, `key_size` as a number. */
export const encryptionEcho = (e: VolumeTypeEncryptionUpdate): Record<string, unknown> =>
  Object.fromEntries(Object.entries({ ...e, key_size: keySizeOf(e.key_size) }).filter(([, v]) => v !== undefined));

/** `addProjectAccess` / `removeProjectAccess` (cinder/api/schemas/volume_type_access.py). */
export class VolumeTypeProjectAccess {
  @Field(P.uuid, { required: true }) project!: string;
}

export const ADD_PROJECT_ACCESS_BODY = envelope('addProjectAccess', VolumeTypeProjectAccess);
export const REMOVE_PROJECT_ACCESS_BODY = envelope('removeProjectAccess', VolumeTypeProjectAccess);
