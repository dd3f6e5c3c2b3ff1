import { containerProblem, DB_MAX_INT, MAX_TEXT_LENGTH, METADATA_KEY } from '@strata/domain';
import { isJsonInteger, pyRepr } from './py-repr';

/**
 * Cinder's request parameter types (cinder/api/validation/parameter_types.py) as rules that check a
 * present value the way jsonschema's Draft 4 validator does, keyword by keyword in the schema's order,
 * and answer with jsonschema's message for the first keyword that fails (null when the value fits).
 * `test/compat/request-validation.compat.spec.ts` holds these texts against Cinder's own validator.
 */
export type Rule = (value: unknown) => string | null;

/**
 * A message Cinder raises outside jsonschema (a format checker's own exception, such as InvalidInput):
 * it reaches the client whole, without "Invalid input for field/attribute …".
 */
const WHOLE = '\u0001';
export const whole = (message: string) => `${WHOLE}${message}`;
export const wholeMessageOf = (message: string): string | null => (message.startsWith(WHOLE) ? message.slice(WHOLE.length) : null);

/** A rule plus what the OpenAPI document says of the field. */
export interface FieldRule {
  readonly check: Rule;
  readonly openapi: Readonly<Record<string, unknown>>;
}

type JsonType = 'string' | 'null' | 'object' | 'integer' | 'boolean' | 'array' | 'number';

const isType = (value: unknown, type: JsonType): boolean => {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'null':
      return value === null;
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    // jsonschema: a bool is not an integer; JSON.parse cannot tell 1.0 from 1, so 1.0 counts as 1 here.
    case 'integer':
      return typeof value === 'number' && isJsonInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
  }
};

export const ofType =
  (...types: JsonType[]): Rule =>
  (value) =>
    types.some((t) => isType(value, t)) ? null : `${pyRepr(value)} is not of type ${types.map((t) => `'${t}'`).join(', ')}`;

/** Python's len(): code points, not UTF-16 units. */
const length = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

export const lengthBetween =
  (min: number, max?: number): Rule =>
  (value) => {
    if (typeof value !== 'string') return null;
    const n = length(value);
    if (n < min) return `${pyRepr(value)} is too short`;
    if (max !== undefined && n > max) return `${pyRepr(value)} is too long`;
    return null;
  };

export const matches =
  (pattern: RegExp, source: string): Rule =>
  (value) =>
    typeof value !== 'string' || pattern.test(value) ? null : `${pyRepr(value)} does not match ${pyRepr(source)}`;

export const oneOfValues =
  (values: readonly unknown[]): Rule =>
  (value) =>
    values.some((v) => v === value) ? null : `${pyRepr(value)} is not one of ${pyRepr(values)}`;

/** Cinder's minimum/maximum also read a numeric string as its number (validators._number_from_str). */
const numberOf = (value: unknown): number | null => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return Number(value);
  return null;
};

export const between =
  (min: number, max: number): Rule =>
  (value) => {
    const n = numberOf(value);
    if (n === null) return null;
    if (n < min) return `${pyRepr(n)} is less than the minimum of ${min}`;
    if (n > max) return `${pyRepr(n)} is greater than the maximum of ${max}`;
    return null;
  };

/** oslo's `uuidutils.is_uuid_like`: 32 hex digits once `urn:`, `uuid:`, braces and hyphens are dropped. */
export const canonicalUuid = (value: string): string | null => {
  const hex = value
    .trim()
    .toLowerCase()
    .replace(/^urn:/, '')
    .replace(/^uuid:/, '')
    .replace(/^\{|\}$/g, '')
    .replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(hex)) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

const uuidFormat: Rule = (value) => (typeof value !== 'string' || canonicalUuid(value) ? null : `${pyRepr(value)} is not a 'uuid'`);

/** The first message of several rules, in order. */
export const all =
  (...rules: Rule[]): Rule =>
  (value) => {
    for (const rule of rules) {
      const message = rule(value);
      if (message !== null) return message;
    }
    return null;
  };

/** jsonschema's oneOf: exactly one branch must hold; Cinder's branches never overlap. */
const oneOf =
  (...branches: Rule[]): Rule =>
  (value) =>
    branches.some((branch) => branch(value) === null) ? null : `${pyRepr(value)} is not valid under any of the given schemas`;

const BOOLEAN_VALUES = [
  true,
  'True',
  'TRUE',
  'true',
  '1',
  'ON',
  'On',
  'on',
  'YES',
  'Yes',
  'yes',
  'y',
  't',
  false,
  'False',
  'FALSE',
  'false',
  '0',
  'OFF',
  'Off',
  'off',
  'NO',
  'No',
  'no',
  'n',
  'f',
] as const;
const TRUE_VALUES: readonly unknown[] = BOOLEAN_VALUES.slice(0, 13);

/** Cinder's `boolean` as the value it means (after validation). */
export const cinderBoolean = (value: unknown): boolean | undefined =>
  value === undefined || value === null ? undefined : TRUE_VALUES.includes(value);

const METADATA_KEY_SOURCE = '^[a-zA-Z0-9-_:. /]{1,255}$';
const metadataValue = all(ofType('string'), lengthBetween(0, MAX_TEXT_LENGTH));

/**
 * `extra_specs`: an object whose keys match Cinder's pattern and whose values are strings of at most 255
 * characters. jsonschema names the key as the field of a bad value, and the whole object for a bad key.
 */
export const metadataRule = (nullable: boolean) => {
  const type = nullable ? ofType('object', 'null') : ofType('object');
  return (value: unknown): { readonly field: 'self' | string; readonly value: unknown; readonly message: string } | null => {
    const typeProblem = type(value);
    if (typeProblem) return { field: 'self', value, message: typeProblem };
    if (value === null) return null;
    const entries = Object.entries(value as Record<string, unknown>);
    for (const [key, v] of entries) {
      if (!METADATA_KEY.test(key)) continue;
      const problem = metadataValue(v);
      if (problem) return { field: key, value: v, message: problem };
    }
    const badKey = entries.find(([key]) => !METADATA_KEY.test(key));
    if (badKey)
      return { field: 'self', value, message: `${pyRepr(badKey[0])} does not match any of the regexes: ${pyRepr(METADATA_KEY_SOURCE)}` };
    return null;
  };
};

const str = (nullable: boolean) => (nullable ? { type: 'string', nullable: true } : { type: 'string' });

/**
 * The volume schemas' `name_non_mandatory_remove_white_spaces` and `description_…` formats: a string or
 * null whose stripped length is at most 255, refused with utils.check_string_length's InvalidInput.
 */
const strippedLength =
  (entity: 'name' | 'description'): Rule =>
  (value) => {
    if (typeof value !== 'string') return null;
    const n = length(value.trim());
    return n > MAX_TEXT_LENGTH ? whole(`Invalid input received: ${entity} has ${n} characters, more than ${MAX_TEXT_LENGTH}.`) : null;
  };

/** A backup container: a path below the repository root, which the workers' repositories will also insist on. */
const usableContainer: Rule = (value) => {
  if (typeof value !== 'string' || value === '') return null;
  const problem = containerProblem(value);
  return problem ? `${pyRepr(value)} is not a usable container: ${problem}` : null;
};

/** `parameter_types` by their Cinder names. */
export const P = {
  uuid: { check: all(ofType('string'), uuidFormat), openapi: { type: 'string', format: 'uuid' } },
  uuidAllowNull: {
    check: oneOf(all(ofType('string'), uuidFormat), ofType('null')),
    openapi: { type: 'string', format: 'uuid', nullable: true },
  },
  /** `name_allow_zero_min_length`, `container`, `nullable_string`: a string or null, at most 255. */
  nullableString: {
    check: all(ofType('string', 'null'), lengthBetween(0, MAX_TEXT_LENGTH)),
    openapi: { ...str(true), maxLength: MAX_TEXT_LENGTH },
  },
  /** `description`: printable characters only (jsonschema's pattern lists every printable code point; here a class). */
  description: {
    check: all(ofType('string', 'null'), lengthBetween(0, MAX_TEXT_LENGTH), (value) =>
      typeof value === 'string' && /[\p{C}\p{Zl}\p{Zp}]/u.test(value)
        ? `${pyRepr(value)} does not match '^[<printable characters>]*$'`
        : null,
    ),
    openapi: { ...str(true), maxLength: MAX_TEXT_LENGTH },
  },
  container: {
    check: all(ofType('string', 'null'), lengthBetween(0, MAX_TEXT_LENGTH), usableContainer),
    openapi: { ...str(true), maxLength: MAX_TEXT_LENGTH },
  },
  volumeName: { check: all(ofType('string', 'null'), strippedLength('name')), openapi: { ...str(true), maxLength: MAX_TEXT_LENGTH } },
  volumeDescription: {
    check: all(ofType('string', 'null'), strippedLength('description')),
    openapi: { ...str(true), maxLength: MAX_TEXT_LENGTH },
  },
  optionalUuid: {
    check: oneOf(ofType('null'), all(ofType('string'), uuidFormat)),
    openapi: { type: 'string', format: 'uuid', nullable: true },
  },
  boolean: {
    check: all(ofType('boolean', 'string'), oneOfValues(BOOLEAN_VALUES)),
    openapi: { oneOf: [{ type: 'boolean' }, { type: 'string', enum: BOOLEAN_VALUES.filter((v) => typeof v === 'string') }] },
  },
  optionalBoolean: {
    check: oneOf(ofType('null'), all(ofType('boolean', 'string'), oneOfValues(BOOLEAN_VALUES))),
    openapi: { type: 'boolean', nullable: true },
  },
  /** `volume_size_allows_null`: an integer or a string of digits, 1 to DB_MAX_INT. */
  volumeSize: {
    check: all(ofType('integer', 'string', 'null'), matches(/^[0-9]+$/, '^[0-9]+$'), between(1, DB_MAX_INT)),
    openapi: {
      oneOf: [
        { type: 'integer', minimum: 1, maximum: DB_MAX_INT },
        { type: 'string', pattern: '^[0-9]+$' },
      ],
      nullable: true,
    },
  },
  /** `availability_zone`: a string of 1 to 255, or null. */
  availabilityZone: {
    check: all(ofType('string', 'null'), lengthBetween(1, MAX_TEXT_LENGTH)),
    openapi: { ...str(true), minLength: 1, maxLength: MAX_TEXT_LENGTH },
  },
  /** `cinder_host`. */
  host: {
    check: all(
      ofType('string', 'null'),
      lengthBetween(1, MAX_TEXT_LENGTH),
      matches(/^[a-zA-Z0-9-._#@:/+[\]]*$/, '^[a-zA-Z0-9-._#@:/+\\[\\]]*$'),
    ),
    openapi: { ...str(true), maxLength: MAX_TEXT_LENGTH },
  },
  backupService: {
    check: all(ofType('string'), lengthBetween(0, MAX_TEXT_LENGTH)),
    openapi: { type: 'string', maxLength: MAX_TEXT_LENGTH },
  },
  /** `backup_url`: base64 (Python's lenient decoder takes anything a string holds; the record decoder judges). */
  backupUrl: { check: all(ofType('string'), lengthBetween(1)), openapi: { type: 'string', format: 'byte', minLength: 1 } },
  anyString: (max: number): FieldRule => ({
    check: all(ofType('string'), lengthBetween(0, max)),
    openapi: { type: 'string', maxLength: max },
  }),
} satisfies Record<string, FieldRule | ((...args: never[]) => FieldRule)>;
