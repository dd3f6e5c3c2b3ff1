import { canonicalUuid, cinderBoolean } from './json-schema-rules';

/**
 * What a validated field means: the DTOs hold the values as the client sent them (Cinder's booleans may be
 * "yes" or "0", ids any uuid-like text), and these turn them into what commands carry.
 */
export { cinderBoolean };

/** A uuid-like id in its canonical form (lower case, hyphenated); undefined and null pass through. */
export const uuidOf = <V extends string | null | undefined>(value: V): V =>
  typeof value === 'string' ? (canonicalUuid(value) as V) : value;

/** A name or description; Cinder strips surrounding white space from those it stores. */
export const textOf = (value: string | null | undefined, { strip = false } = {}): string | null | undefined =>
  typeof value === 'string' && strip ? value.trim() : value;
