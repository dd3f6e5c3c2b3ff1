import type { ValidationError } from 'class-validator';
import { HttpFault } from '../errors/cinder-fault';
import { CINDER_CONSTRAINT, CINDER_REQUIRED, declaredFields, decodeFailure } from './cinder-fields';
import { wholeMessageOf } from './json-schema-rules';
import { pyRepr, pyStr } from './py-repr';

const WHITELIST = 'whitelistValidation';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const child = (value: unknown, key: string) => (isObject(value) ? value[key] : undefined);

/**
 * Cinder's message for a jsonschema error at `path` (the keys from the body's top down to the failing
 * instance): plain at the top, else `Invalid input for field/attribute <last key>. Value: <str(instance)>. <message>`.
 */
const cinderMessage = (path: readonly string[], instance: unknown, message: string) =>
  wholeMessageOf(message) ??
  (path.length === 0 ? message : `Invalid input for field/attribute ${path[path.length - 1]}. Value: ${pyStr(instance)}. ${message}`);

/**
 * The first of class-validator's errors in the order jsonschema reports them for one object: its declared
 * properties first (each one's own check, then inside it), then a missing required property, then an
 * `anyOf`, then the properties it does not allow. `raw` is the object as the client sent it, so values are
 * printed as Cinder prints them (not as the DTO instance holds them).
 */
const firstMessage = (errors: readonly ValidationError[], raw: unknown, path: readonly string[]): string | null => {
  const byProperty = new Map(errors.map((e) => [e.property, e]));
  const target = errors.find((e) => e.target)?.target;
  const order = target ? declaredFields(Object.getPrototypeOf(target) as object) : [];
  const properties = [...order, ...errors.map((e) => e.property).filter((p) => !order.includes(p))];

  for (const property of properties) {
    const error = byProperty.get(property);
    const own = error?.constraints?.[CINDER_CONSTRAINT];
    if (own) {
      const { kind, field, message } = decodeFailure(own);
      if (kind === 'anyOf') continue;
      const fieldPath = field.split('.');
      const instance = fieldPath.reduce<unknown>((value, key) => child(value, key), raw);
      return cinderMessage([...path, ...fieldPath], instance, message);
    }
    if (error?.children?.length) {
      const inner = firstMessage(error.children, child(raw, property), [...path, property]);
      if (inner) return inner;
    }
  }
  for (const property of properties) {
    const required = byProperty.get(property)?.constraints?.[CINDER_REQUIRED];
    if (required) return cinderMessage(path, raw, decodeFailure(required).message);
  }
  const anyOf = byProperty.get('__anyOf')?.constraints?.[CINDER_CONSTRAINT];
  if (anyOf) return cinderMessage(path, raw, `${pyRepr(raw)} ${decodeFailure(anyOf).message}`);
  const extras = errors.filter((e) => e.constraints?.[WHITELIST]).map((e) => e.property);
  if (extras.length > 0) {
    const names = extras.map((p) => pyRepr(p)).join(', ');
    return cinderMessage(path, raw, `Additional properties are not allowed (${names} ${extras.length === 1 ? 'was' : 'were'} unexpected)`);
  }
  return null;
};

/** The 400 Cinder answers for a body its schema refuses, with jsonschema's wording. */
export const cinderValidationFault = (errors: readonly ValidationError[], raw: unknown): HttpFault =>
  HttpFault.badRequest(firstMessage(errors, raw, []) ?? 'Invalid input received: the request body does not fit its schema.');
