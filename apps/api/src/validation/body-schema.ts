import { HttpFault } from '../errors/cinder-fault';

/**
 * A small validator that answers the way Cinder's jsonschema validation does ("'volume_id' is a
 * required property", "Additional properties are not allowed ('x' was unexpected)"), so that clients
 * and operators see the messages they know.
 */
const pyRepr = (value: unknown): string => {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
};

const invalid = (message: string) => HttpFault.badRequest(`Invalid input for field/attribute ${message}`);

export type Body = Record<string, unknown>;

/** The top-level object `{"<key>": {...}}` every Cinder request body wraps its payload in. */
export const envelope = (body: unknown, key: string, { nullable = false } = {}): Body => {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw HttpFault.badRequest(`${pyRepr(body)} is not of type 'object'`);
  if (!(key in body)) throw HttpFault.badRequest(`'${key}' is a required property`);
  const inner = (body as Body)[key];
  if (inner === null && nullable) return {};
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner))
    throw invalid(`${key}. Value: ${pyRepr(inner)}. ${pyRepr(inner)} is not of type 'object'`);
  return inner as Body;
};

export const onlyKeys = (payload: Body, allowed: readonly string[]) => {
  const extra = Object.keys(payload).filter((k) => !allowed.includes(k));
  if (extra.length > 0)
    throw HttpFault.badRequest(`Additional properties are not allowed (${extra.map((k) => `'${k}'`).join(', ')} ${extra.length === 1 ? 'was' : 'were'} unexpected)`);
};

export const requiredKey = (payload: Body, key: string) => {
  if (!(key in payload) || payload[key] === undefined) throw HttpFault.badRequest(`'${key}' is a required property`);
};

export const optionalString = (payload: Body, key: string, { maxLength = 255, strip = false } = {}): string | null | undefined => {
  const value = payload[key];
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'string') throw invalid(`${key}. Value: ${pyRepr(value)}. ${pyRepr(value)} is not of type 'string'`);
  const text = strip ? value.trim() : value;
  if (text.length > maxLength) throw invalid(`${key}. Value: ${value}. '${value}' is too long`);
  return text;
};

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export const isUuid = (text: string) => UUID.test(text);

export const optionalUuid = (payload: Body, key: string): string | null | undefined => {
  const value = optionalString(payload, key);
  if (value === undefined || value === null) return value;
  if (!isUuid(value)) throw invalid(`${key}. Value: ${value}. '${value}' is not a 'uuid'`);
  return value.toLowerCase();
};

const TRUE = ['True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', 'y', 't'];
const FALSE = ['False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no', 'n', 'f'];

/** Cinder's `boolean` parameter type: JSON booleans or one of oslo's strings. */
export const optionalBoolean = (payload: Body, key: string): boolean | undefined => {
  const value = payload[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && TRUE.includes(value)) return true;
  if (typeof value === 'string' && FALSE.includes(value)) return false;
  throw invalid(`${key}. Value: ${pyRepr(value)}. ${pyRepr(value)} is not of type 'boolean', 'string'`);
};

const METADATA_KEY = /^[a-zA-Z0-9-_:. /]{1,255}$/;

export const optionalMetadata = (payload: Body, key = 'metadata'): Record<string, string> | null | undefined => {
  const value = payload[key];
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalid(`${key}. Value: ${pyRepr(value)}. ${pyRepr(value)} is not of type 'object'`);
  for (const [k, v] of Object.entries(value as Body)) {
    if (!METADATA_KEY.test(k)) throw invalid(`${key}. Value: ${JSON.stringify(value)}. '${k}' does not match any of the regexes`);
    if (typeof v !== 'string' || v.length > 255) throw invalid(`${key}. Value: ${JSON.stringify(value)}. ${pyRepr(v)} is not of type 'string'`);
  }
  return value as Record<string, string>;
};

export const positiveInteger = (payload: Body, key: string): number | undefined => {
  const value = payload[key];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
    throw invalid(`${key}. Value: ${pyRepr(value)}. ${pyRepr(value)} is not of type 'integer'`);
  return n;
};
