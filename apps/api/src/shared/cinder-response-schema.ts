import { atLeast, type Microversion } from '../context/microversion';

/**
 * JSON Schema pieces for Cinder's response bodies, written from Cinder's view builders (not from Strata's
 * presenters), so that `test/e2e/cinder-views.e2e-spec.ts` can hold every view Strata answers against
 * them: `additionalProperties: false` and every key required, as a strict client validates them.
 */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** Who is asking and how: the two things Cinder's views vary by. */
export interface ViewRequest {
  readonly microversion: Microversion;
  readonly admin: boolean;
}

export const at = (r: ViewRequest, version: string) => atLeast(r.microversion, version);

export const str: JsonSchema = { type: 'string' };
export const strOrNull: JsonSchema = { type: ['string', 'null'] };
export const int: JsonSchema = { type: 'integer' };
export const bool: JsonSchema = { type: 'boolean' };
export const nul: JsonSchema = { type: 'null' };
export const uuid: JsonSchema = { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' };
export const uuidOrNull: JsonSchema = { anyOf: [uuid, nul] };
/** Cinder's `%Y-%m-%dT%H:%M:%S.%f`, UTC without a zone. */
export const time: JsonSchema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}$' };
export const timeOrNull: JsonSchema = { anyOf: [time, nul] };
export const stringMap: JsonSchema = { type: 'object', additionalProperties: { type: 'string' } };
export const links: JsonSchema = {
  type: 'array',
  items: { type: 'object', properties: { rel: str, href: str }, required: ['rel', 'href'], additionalProperties: false },
};

/** An object with exactly these keys, all present; `optional` ones may be left out (Cinder adds them only with a value). */
export const exactly = (properties: Record<string, JsonSchema>, optional: readonly string[] = []): JsonSchema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  additionalProperties: false,
});

/** `{"<key>": item}`. */
export const envelope = (key: string, item: JsonSchema): JsonSchema => exactly({ [key]: item });

/** A list: the items, the next link when there is one, and `count` exactly when asked for from 3.45. */
export const list = (r: ViewRequest, collection: string, item: JsonSchema, { withCount = false } = {}): JsonSchema => {
  const counted = withCount && at(r, '3.45');
  return exactly({ [collection]: { type: 'array', items: item }, [`${collection}_links`]: links, ...(counted ? { count: int } : {}) }, [
    `${collection}_links`,
  ]);
};
