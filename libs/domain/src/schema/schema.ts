/**
 * A small schema language for event payloads: what each field is, with its bounds. A check walks only
 * the shape the schema declares, one level per declared level, so a hostile value (an object nested ten
 * thousand deep, a megabyte string) is refused at the first field that does not fit, never recursed into.
 *
 * A schema carries the TypeScript type it admits (`Infer<S>`), so `event-schemas.ts` can state at compile
 * time that the schema of each event and the event's declared data type are the same type.
 */
export interface SchemaViolation {
  /** Where in the value: `data.sizeGb`, `data.metadata.colour`. */
  readonly path: string;
  readonly message: string;
}

export interface Schema<T> {
  /** Returns the first field that does not fit, or null when the whole value does. */
  check(value: unknown, path: string): SchemaViolation | null;
  /**
   * The most UTF-8 bytes a value that fits can take as JSON without whitespace, every character escaped
   * (`JSON_UNIT_BYTES`): what a reader of JSON lines may buffer for one value before it knows it is too long.
   */
  readonly maxJsonBytes: number;
  /** Type carrier only (invariant in T): never set. */
  readonly __type?: (value: T) => T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

const fail = (path: string, message: string): SchemaViolation => ({ path, message });

/**
 * The most UTF-8 bytes one UTF-16 unit of a string can take in JSON: `\uXXXX`. (A character written as
 * itself takes at most 3 bytes per unit; a surrogate pair, 4 bytes for two units.)
 */
export const JSON_UNIT_BYTES = 6;

/** A JSON string of at most `maxLength` units, quotes included. */
const jsonStringBytes = (maxLength: number): number => 2 + JSON_UNIT_BYTES * maxLength;

/** The commas between `n` items, members or keys. */
const commas = (n: number): number => Math.max(0, n - 1);

/** An integer as JSON writes it: its digits and sign, at either bound. */
const jsonIntegerBytes = (min: number, max: number): number => Math.max(String(min).length, String(max).length);

/** A short, safe rendering of a value for a message: never the whole of a large or deep value. */
export const describeValue = (value: unknown): string => {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return typeof value;
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface StringBounds {
  readonly minLength?: number;
  readonly maxLength: number;
  readonly pattern?: RegExp;
  /** What the pattern means, for the message. */
  readonly patternName?: string;
}

export const string = ({ minLength = 0, maxLength, pattern, patternName }: StringBounds): Schema<string> => ({
  maxJsonBytes: jsonStringBytes(maxLength),
  check(value, path) {
    if (typeof value !== 'string') return fail(path, `must be a string, not ${describeValue(value)}`);
    if (value.length < minLength) return fail(path, `must have at least ${minLength} characters`);
    if (value.length > maxLength) return fail(path, `must have at most ${maxLength} characters, not ${value.length}`);
    if (pattern && !pattern.test(value))
      return fail(path, `must be ${patternName ?? `a match of ${pattern}`}, not ${describeValue(value)}`);
    return null;
  },
});

export const literal = <const V extends string | boolean>(...values: readonly V[]): Schema<V> => ({
  maxJsonBytes: Math.max(...values.map((v) => (typeof v === 'string' ? jsonStringBytes(v.length) : String(v).length))),
  check(value, path) {
    return (values as readonly unknown[]).includes(value)
      ? null
      : fail(path, `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}, not ${describeValue(value)}`);
  },
});

export const boolean: Schema<boolean> = {
  maxJsonBytes: 'false'.length,
  check(value, path) {
    return typeof value === 'boolean' ? null : fail(path, `must be true or false, not ${describeValue(value)}`);
  },
};

/** A whole number within bounds; both bounds within the safe integers, so SQLite stores it as an INTEGER. */
export const integer = ({ min, max }: { readonly min: number; readonly max: number }): Schema<number> => ({
  maxJsonBytes: jsonIntegerBytes(min, max),
  check(value, path) {
    if (typeof value !== 'number' || !Number.isInteger(value)) return fail(path, `must be a whole number, not ${describeValue(value)}`);
    if (value < min) return fail(path, `must be at least ${min}, not ${value}`);
    if (value > max) return fail(path, `must be at most ${max}, not ${value}`);
    return null;
  },
});

export const nullable = <T>(inner: Schema<T>): Schema<T | null> => ({
  maxJsonBytes: Math.max('null'.length, inner.maxJsonBytes),
  check(value, path) {
    return value === null ? null : inner.check(value, path);
  },
});

/** A field that may be absent (an update that leaves it unchanged); present, it must fit `inner`. */
export interface OptionalSchema<T> extends Schema<T> {
  readonly optional: true;
}

export const optional = <T>(inner: Schema<T>): OptionalSchema<T> => ({
  optional: true,
  check: inner.check,
  maxJsonBytes: inner.maxJsonBytes,
});

export const list = <T>(item: Schema<T>, { maxItems }: { readonly maxItems: number }): Schema<T[]> => ({
  maxJsonBytes: 2 + maxItems * item.maxJsonBytes + commas(maxItems),
  check(value, path) {
    if (!Array.isArray(value)) return fail(path, `must be a list, not ${describeValue(value)}`);
    if (value.length > maxItems) return fail(path, `must have at most ${maxItems} items, not ${value.length}`);
    for (let i = 0; i < value.length; i++) {
      const violation = item.check(value[i], `${path}[${i}]`);
      if (violation) return violation;
    }
    return null;
  },
});

/** A map of string keys to values, such as Cinder's metadata. */
export const record = <V>(key: Schema<string>, value: Schema<V>, { maxKeys }: { readonly maxKeys: number }): Schema<Record<string, V>> => ({
  maxJsonBytes: 2 + maxKeys * (key.maxJsonBytes + 1 + value.maxJsonBytes) + commas(maxKeys),
  check(input, path) {
    if (!isPlainObject(input)) return fail(path, `must be an object, not ${describeValue(input)}`);
    const keys = Object.keys(input);
    if (keys.length > maxKeys) return fail(path, `must have at most ${maxKeys} keys, not ${keys.length}`);
    for (const k of keys) {
      const violation = key.check(k, `${path} key`) ?? value.check(input[k], `${path}.${k}`);
      if (violation) return violation;
    }
    return null;
  },
});

type AnySchema = Schema<any>;
type Fields = Readonly<Record<string, AnySchema>>;
type RequiredKeys<F extends Fields> = { [K in keyof F]: F[K] extends OptionalSchema<infer _> ? never : K }[keyof F];
type OptionalKeys<F extends Fields> = Exclude<keyof F, RequiredKeys<F>>;
type Simplify<T> = { [K in keyof T]: T[K] };
export type ObjectOf<F extends Fields> = Simplify<{ [K in RequiredKeys<F>]: Infer<F[K]> } & { [K in OptionalKeys<F>]?: Infer<F[K]> }>;

/** An object with exactly these fields: a missing required field or an unknown one is a violation. */
export const object = <F extends Fields>(fields: F): Schema<ObjectOf<F>> => ({
  maxJsonBytes:
    2 +
    Object.entries(fields).reduce((sum, [name, field]) => sum + jsonStringBytes(name.length) + 1 + field.maxJsonBytes, 0) +
    commas(Object.keys(fields).length),
  check(value, path) {
    if (!isPlainObject(value)) return fail(path, `must be an object, not ${describeValue(value)}`);
    for (const [name, field] of Object.entries(fields)) {
      const present = Object.prototype.hasOwnProperty.call(value, name) && value[name] !== undefined;
      if (!present) {
        if ((field as { optional?: boolean }).optional) continue;
        return fail(`${path}.${name}`, 'is required');
      }
      const violation = field.check(value[name], `${path}.${name}`);
      if (violation) return violation;
    }
    for (const name of Object.keys(value))
      if (!Object.prototype.hasOwnProperty.call(fields, name)) return fail(`${path}.${name}`, 'is not a field of this event');
    return null;
  },
});

/** One of several object shapes, told apart by the value of `tag`. */
export const tagged = <K extends string, M extends Readonly<Record<string, AnySchema>>>(tag: K, shapes: M): Schema<Infer<M[keyof M]>> => ({
  maxJsonBytes: Math.max(...Object.values(shapes).map((shape) => shape.maxJsonBytes)),
  check(value, path) {
    if (!isPlainObject(value)) return fail(path, `must be an object, not ${describeValue(value)}`);
    const kind = value[tag];
    if (typeof kind !== 'string' || !Object.prototype.hasOwnProperty.call(shapes, kind))
      return fail(
        `${path}.${tag}`,
        `must be one of ${Object.keys(shapes)
          .map((k) => JSON.stringify(k))
          .join(', ')}, not ${describeValue(kind)}`,
      );
    return shapes[kind]!.check(value, path);
  },
});
