/**
 * Python's `repr()` and `str()` of a JSON value, as Cinder's validation messages print them
 * ("Value: {'x': 1}. 'nope' is not a 'uuid'"), so clients and operators read the texts they know.
 * Bounded: the body-depth check has already refused anything nested deeper than MAX_JSON_DEPTH, and a
 * value nested deeper than that here is printed as `...` rather than recursed into.
 */
const MAX_REPR_DEPTH = 64;

/** Python's `str.isprintable()`: not a control, format, surrogate, private-use or unassigned character, nor a separator but ' '. */
const NOT_PRINTABLE = /[\p{C}\p{Zl}\p{Zp}]|(?! )\p{Zs}/u;

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

const hex = (code: number, width: number) => code.toString(16).padStart(width, '0');

const reprString = (s: string): string => {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === quote) out += `\\${ch}`;
    else if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (!NOT_PRINTABLE.test(ch)) out += ch;
    else if (code < 0x100) out += `\\x${hex(code, 2)}`;
    else if (code < 0x10000) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return out + quote;
};

/**
 * JSON.parse cannot tell `2` from `2.0`: a whole number below 1e21 is taken for an int (printed with all
 * its digits, as Python prints the int a client wrote), anything else for a float.
 */
export const isJsonInteger = (n: number): boolean => Number.isInteger(n) && Math.abs(n) < 1e21 && !Object.is(n, -0);

/** Python's float repr where it differs from JavaScript's: `1e-07`, `1e+21`, `-0.0`, `inf`. */
const reprNumber = (n: number): string => {
  if (isJsonInteger(n)) return BigInt(n).toString();
  if (Object.is(n, -0)) return '-0.0';
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2');
};

const reprAt = (value: unknown, depth: number): string => {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return reprString(value);
  if (typeof value === 'number') return reprNumber(value);
  if (depth >= MAX_REPR_DEPTH) return Array.isArray(value) ? '[...]' : '{...}';
  if (Array.isArray(value)) return `[${value.map((v) => reprAt(v, depth + 1)).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${reprString(k)}: ${reprAt(v, depth + 1)}`)
      .join(', ')}}`;
  return reprString(String(value));
};

export const pyRepr = (value: unknown): string => reprAt(value, 0);

/** Python's `str()`: a string as it is, anything else as its repr. */
export const pyStr = (value: unknown): string => (typeof value === 'string' ? value : pyRepr(value));
