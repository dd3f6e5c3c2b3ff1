/**
 * A Python literal as `ast.literal_eval` reads the list filters Cinder evaluates (`metadata={'k': 'v'}`,
 * what cinderclient sends for `--metadata k=v` or `--filters metadata={k:v}`): dicts, lists, tuples,
 * strings in either quote, integers, floats, True, False and None. Anything else is not a literal
 * (undefined), which Cinder then takes as the plain string. Iterative over the text, bounded depth.
 */
export type PyLiteral = null | boolean | number | string | PyLiteral[] | { readonly [key: string]: PyLiteral };

const MAX_DEPTH = 32;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

class NotALiteral extends Error {}

export const pyLiteralOf = (text: string): PyLiteral | undefined => {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const fail = (): never => {
    throw new NotALiteral();
  };
  const str = (): string => {
    const quote = text[i++]!;
    let out = '';
    while (i < text.length && text[i] !== quote) {
      if (text[i] === '\\') {
        const escaped = ESCAPES[text[i + 1] ?? ''];
        if (escaped === undefined) fail();
        out += escaped;
        i += 2;
      } else out += text[i++];
    }
    if (text[i] !== quote) fail();
    i++;
    return out;
  };
  const value = (depth: number): PyLiteral => {
    if (depth > MAX_DEPTH) fail();
    ws();
    const c = text[i];
    if (c === "'" || c === '"') return str();
    if (c === '{') {
      i++;
      const out: Record<string, PyLiteral> = {};
      ws();
      while (text[i] !== '}') {
        const key = value(depth + 1);
        if (typeof key !== 'string' && typeof key !== 'number') fail();
        ws();
        if (text[i++] !== ':') fail();
        out[String(key)] = value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          ws();
        } else if (text[i] !== '}') fail();
      }
      i++;
      return out;
    }
    if (c === '[' || c === '(') {
      const close = c === '[' ? ']' : ')';
      i++;
      const out: PyLiteral[] = [];
      ws();
      while (text[i] !== close) {
        out.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          ws();
        } else if (text[i] !== close) fail();
      }
      i++;
      return out;
    }
    const word = /^(True|False|None|[-+]?\d+(\.\d+)?([eE][-+]?\d+)?)/.exec(text.slice(i));
    if (!word) return fail();
    i += word[0].length;
    return word[0] === 'True' ? true : word[0] === 'False' ? false : word[0] === 'None' ? null : Number(word[0]);
  };
  try {
    const result = value(0);
    ws();
    return i === text.length ? result : undefined;
  } catch (e) {
    if (e instanceof NotALiteral || e instanceof RangeError) return undefined;
    throw e;
  }
};
