import { DB_MAX_INT, isQuotaResource, type QuotaAmounts } from '@strata/domain';
import { HttpFault } from '../errors/cinder-fault';
import { pyRepr, pyStr } from '../validation/py-repr';

/** Keys Cinder lets through a quota set without treating them as quotas (cinderclient sends `tenant_id`). */
const NON_QUOTA_KEYS = ['tenant_id', 'id'];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The envelope as Cinder's jsonschema checks it: an object with exactly `key`, itself an object. */
const envelope = (raw: unknown, key: string): Record<string, unknown> => {
  if (!isObject(raw)) throw HttpFault.badRequest(`${pyRepr(raw)} is not of type 'object'`);
  const inner = raw[key];
  if (inner !== undefined && !isObject(inner))
    throw HttpFault.badRequest(
      `Invalid input for field/attribute ${key}. Value: ${pyStr(inner)}. ${pyRepr(inner)} is not of type 'object'`,
    );
  if (inner === undefined) throw HttpFault.badRequest(`'${key}' is a required property`);
  const extras = Object.keys(raw).filter((k) => k !== key);
  if (extras.length > 0)
    throw HttpFault.badRequest(
      `Additional properties are not allowed (${extras.map((k) => pyRepr(k)).join(', ')} ${extras.length === 1 ? 'was' : 'were'} unexpected)`,
    );
  return inner;
};

/** Python's `int(str(value))` for what JSON can carry: integers, and strings of an optionally signed integer. */
const pythonInt = (value: unknown): number | null => {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return Number(value.trim());
  return null;
};

/**
 * `{"quota_set": {...}}` of `PUT os-quota-sets/{project}`, checked as Cinder's `quota_set` format does:
 * each value an integer from -1 to 2^31-1 (`validate_integer`'s words), then unknown keys named
 * together. Returns the limits in the order given (the first below usage is the one refused).
 */
export const quotaSetBody = (raw: unknown): QuotaAmounts => {
  const set = envelope(raw, 'quota_set');
  if (Object.keys(set).length === 0)
    throw HttpFault.badRequest(`Invalid input for field/attribute quota_set. Value: {}. {} does not have enough properties`);
  const limits: QuotaAmounts = {};
  const bad: string[] = [];
  for (const [key, value] of Object.entries(set)) {
    if (NON_QUOTA_KEYS.includes(key)) continue;
    if (!isQuotaResource(key)) {
      bad.push(key);
      continue;
    }
    const n = pythonInt(value);
    if (n === null) throw HttpFault.badRequest(`${key} must be an integer`);
    if (n < -1) throw HttpFault.badRequest(`${key} must be >= -1`);
    if (n > DB_MAX_INT) throw HttpFault.badRequest(`${key} must be <= ${DB_MAX_INT}`);
    limits[key] = n;
  }
  if (bad.length > 0) throw HttpFault.badRequest(`Invalid input received: Bad key(s) in quota set: ${bad.join(', ')}`);
  return limits;
};

const CLASS_KEY = /^[a-zA-Z0-9-_:. ]{1,255}$/;

/**
 * `{"quota_class_set": {...}}` of `PUT os-quota-class-sets/{class}`: unknown resources first (the
 * format check), then each value as Cinder's schema says: an integer from -1, or a string of digits.
 */
export const quotaClassSetBody = (raw: unknown): QuotaAmounts => {
  const set = envelope(raw, 'quota_class_set');
  const bad = Object.keys(set).filter((key) => !isQuotaResource(key));
  if (bad.length > 0) throw HttpFault.badRequest(`Invalid input received: Bad key(s) in quota class set: ${bad.join(', ')}`);
  const limits: QuotaAmounts = {};
  for (const [key, value] of Object.entries(set)) {
    if (!CLASS_KEY.test(key) || !isQuotaResource(key)) continue;
    const refuse = (message: string) =>
      HttpFault.badRequest(`Invalid input for field/attribute ${key}. Value: ${pyStr(value)}. ${message}`);
    if (typeof value === 'string') {
      if (!/^[0-9]*$/.test(value)) throw refuse(`${pyRepr(value)} does not match '^[0-9]*$'`);
      if (value.length === 0) throw refuse(`'' is too short`);
      const n = Number(value);
      if (n > DB_MAX_INT) throw refuse(`${pyRepr(value)} is greater than the maximum of ${DB_MAX_INT}`);
      limits[key] = n;
    } else if (typeof value === 'number' && Number.isInteger(value)) {
      if (value < -1) throw refuse(`${value} is less than the minimum of -1`);
      if (value > DB_MAX_INT) throw refuse(`${value} is greater than the maximum of ${DB_MAX_INT}`);
      limits[key] = value;
    } else throw refuse(`${pyRepr(value)} is not of type 'integer', 'string'`);
  }
  return limits;
};

/** Cinder's `get_bool_param('usage', ...)`: absent is false; anything but oslo's bool strings is refused. */
export const usageParam = (value: unknown): boolean => {
  if (value === undefined) return false;
  const text = typeof value === 'string' ? value.toLowerCase() : '';
  if (['1', 't', 'true', 'on', 'y', 'yes'].includes(text)) return true;
  if (['0', 'f', 'false', 'off', 'n', 'no'].includes(text)) return false;
  throw HttpFault.badRequest(`Value '${pyStr(value)}' for 'usage' is not a boolean.`);
};
