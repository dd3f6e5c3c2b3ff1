/**
 * The INI dialect of oslo.config files: `[section]` headers, `name = value` (or `name: value`),
 * `#` and `;` comment lines, indented continuation lines appended to the previous value.
 */
export type IniDocument = Record<string, Record<string, string>>;

export class IniSyntaxError extends Error {
  override readonly name = 'IniSyntaxError';
  constructor(
    readonly lineNumber: number,
    readonly line: string,
  ) {
    super(`line ${lineNumber}: cannot parse "${line.trim()}"`);
  }
}

export const parseIni = (text: string): IniDocument => {
  const doc: IniDocument = {};
  let section = 'DEFAULT';
  let lastKey: string | null = null;
  text.split(/\r?\n/).forEach((raw, i) => {
    if (/^\s*([#;].*)?$/.test(raw)) return;
    if (/^\s+\S/.test(raw) && lastKey !== null) {
      doc[section][lastKey] += `\n${raw.trim()}`;
      return;
    }
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(raw);
    if (header) {
      section = header[1].trim();
      doc[section] ??= {};
      lastKey = null;
      return;
    }
    const pair = /^\s*([^=:\s][^=:]*?)\s*[=:]\s*(.*?)\s*$/.exec(raw);
    if (!pair) throw new IniSyntaxError(i + 1, raw);
    doc[section] ??= {};
    lastKey = pair[1];
    doc[section][lastKey] = pair[2];
  });
  return doc;
};
