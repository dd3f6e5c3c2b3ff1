/**
 * `json.dumps(value, sort_keys=True, indent=2)` exactly as CPython writes it (ensure_ascii on):
 * `,` between items, `: ` between key and value, `[]`/`{}` when empty, no trailing newline.
 */
export type PythonJson = null | boolean | number | string | readonly PythonJson[] | { readonly [key: string]: PythonJson };

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** Printable ASCII without `"` and `\`: nothing to escape (every hash of a `_sha256file`). */
const PLAIN = /^[ !#-[\]-~]*$/;

/** Python's ensure_ascii escaping: anything outside ' '..'~' becomes \uXXXX (per UTF-16 unit). */
export const pythonJsonString = (s: string): string =>
  PLAIN.test(s)
    ? `"${s}"`
    : `"${s.replace(/[\\"]|[^ -~]/g, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;

const isPlainString = (v: PythonJson): v is string => typeof v === 'string' && PLAIN.test(v);

const compareCodePoints = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The text in order, for a value `JSON.stringify` cannot write as `json.dumps` does (see `stringified`):
 * written strings, and lists of plain strings kept whole. As text such a list is one join (44 against 66
 * ms, string per item, for a `_sha256file`'s 32,768 hashes), as bytes it is laid item by item into one
 * buffer (about 10 ms, where the joined text and its encoding took 35-40 ms, 2026-12-06).
 */
type Piece = string | { readonly items: readonly string[]; readonly inner: string };

const dump = (value: PythonJson, indent: string, out: Piece[]): void => {
  if (value === null) out.push('null');
  else if (typeof value === 'boolean') out.push(value ? 'true' : 'false');
  else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError(`only safe integers are serialised, got ${value}`);
    out.push(String(value));
  } else if (typeof value === 'string') out.push(pythonJsonString(value));
  else if (Array.isArray(value)) {
    const inner = `${indent}  `;
    if (value.length === 0) out.push('[]');
    else if (value.every(isPlainString)) out.push('[\n', { items: value, inner }, `\n${indent}]`);
    else {
      out.push('[\n');
      value.forEach((v, i) => {
        out.push(i === 0 ? inner : `,\n${inner}`);
        dump(v, inner, out);
      });
      out.push(`\n${indent}]`);
    }
  } else {
    const obj = value as { readonly [key: string]: PythonJson };
    const keys = Object.keys(obj).sort(compareCodePoints);
    if (keys.length === 0) {
      out.push('{}');
      return;
    }
    const inner = `${indent}  `;
    out.push('{\n');
    keys.forEach((k, i) => {
      out.push(`${i === 0 ? '' : ',\n'}${inner}${pythonJsonString(k)}: `);
      dump(obj[k] as PythonJson, inner, out);
    });
    out.push(`\n${indent}}`);
  }
};

const piecesOf = (value: PythonJson): Piece[] => {
  const out: Piece[] = [];
  dump(value, '', out);
  return out;
};

/** What tells a text of `JSON.stringify` from `json.dumps`' (ensure_ascii): anything but printable ASCII and newlines. */
const UNLIKE_PYTHON = /[^\n -~]/;

/** A key JavaScript iterates before the others, in numeric order, whatever the object's order. */
const INDEX_KEY = /^(?:0|[1-9]\d*)$/;

const NOT_STRINGIFIED = Symbol('not stringified');

/**
 * The value with each object's keys in code-point order (`JSON.stringify` writes them in the object's
 * order), or NOT_STRINGIFIED where `JSON.stringify` would write it otherwise than `json.dumps` (a key
 * JavaScript orders as an index, a value that is not JSON). Lists of strings and numbers are not copied.
 * A number that is not a safe integer throws, as `dump` does.
 */
const sortedKeys = (value: PythonJson): PythonJson | typeof NOT_STRINGIFIED => {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError(`only safe integers are serialised, got ${value}`);
    return value;
  }
  if (Array.isArray(value)) {
    let copy: PythonJson[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as PythonJson;
      if (typeof item === 'string') continue;
      const sorted = sortedKeys(item);
      if (sorted === NOT_STRINGIFIED) return NOT_STRINGIFIED;
      if (sorted !== item) (copy ??= [...value])[i] = sorted;
    }
    return copy ?? value;
  }
  if (typeof value !== 'object') return NOT_STRINGIFIED;
  const obj = value as { readonly [key: string]: PythonJson };
  const out: { [key: string]: PythonJson } = {};
  for (const key of Object.keys(obj).sort(compareCodePoints)) {
    if (INDEX_KEY.test(key)) return NOT_STRINGIFIED;
    const sorted = sortedKeys(obj[key] as PythonJson);
    if (sorted === NOT_STRINGIFIED) return NOT_STRINGIFIED;
    out[key] = sorted;
  }
  return out;
};

/**
 * `json.dumps`' text written by V8's own `JSON.stringify` where the two agree: keys sorted, two spaces of
 * indentation, `,` and `: ` between, and the same escapes for `"`, `\` and control characters; they differ
 * only where `ensure_ascii` escapes what `JSON.stringify` leaves (anything outside printable ASCII), and
 * such a text is written by `dump` instead. A 1 GiB volume's `_sha256file` (32,768 hashes) in 9–10 ms, where
 * `dump` took 15–18 ms, and 28 ms for the first backup of a process (2026-12-07).
 */
const stringified = (value: PythonJson): string | null => {
  const sorted = sortedKeys(value);
  if (sorted === NOT_STRINGIFIED) return null;
  const text = JSON.stringify(sorted, null, 2);
  return UNLIKE_PYTHON.test(text) ? null : text;
};

export const pythonJsonDumps = (value: PythonJson): string => stringified(value) ?? dumped(value);

const dumped = (value: PythonJson): string =>
  piecesOf(value)
    .map((p) => (typeof p === 'string' ? p : `${p.inner}"${p.items.join(`",\n${p.inner}"`)}"`))
    .join('');

/**
 * The UTF-8 bytes of `pythonJsonDumps(value)`, laid into one buffer. `ensure_ascii` makes the whole text
 * ASCII, so each character is one byte and every piece is written as latin1.
 */
export const pythonJsonBytes = (value: PythonJson): Buffer => {
  const text = stringified(value);
  return text === null ? dumpedBytes(value) : Buffer.from(text, 'latin1');
};

const dumpedBytes = (value: PythonJson): Buffer => {
  const pieces = piecesOf(value);
  let total = 0;
  for (const p of pieces) {
    if (typeof p === 'string') total += p.length;
    else {
      total += (p.items.length - 1) * 2; // ",\n" between items
      for (const item of p.items) total += p.inner.length + item.length + 2; // and its quotes
    }
  }
  const out = Buffer.allocUnsafe(total);
  let off = 0;
  for (const p of pieces) {
    if (typeof p === 'string') {
      off += out.write(p, off, 'latin1');
      continue;
    }
    // Byte by byte for the indentation and quotes: a call per item for them cost more than the digests.
    const indentBytes = p.inner.length;
    for (let i = 0; i < p.items.length; i++) {
      if (i > 0) off = out.writeUInt16BE(0x2c0a, off); // ",\n"
      for (let k = 0; k < indentBytes; k++) out[off++] = 0x20;
      out[off++] = 0x22;
      off += out.write(p.items[i]!, off, 'latin1');
      out[off++] = 0x22;
    }
  }
  if (off !== total) throw new Error(`pythonJsonBytes: laid out ${off} of ${total} bytes`);
  return out;
};
