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
    readonly path?: string,
  ) {
    super(`${path ? `${path}:${lineNumber}` : `line ${lineNumber}`}: cannot parse "${line.trim()}"`);
  }
}

export const parseIni = (text: string): IniDocument => parseIniLocated(text).doc;

/** Where each option and section of a document was written: 1-based line numbers. */
export interface IniLocations {
  readonly sections: Readonly<Record<string, number>>;
  readonly options: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** The document and the line of each option (the last one, when a name is given twice, as its value is). */
export const parseIniLocated = (text: string): { doc: IniDocument; at: IniLocations } => {
  const doc: IniDocument = {};
  const sections: Record<string, number> = {};
  const options: Record<string, Record<string, number>> = {};
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
      sections[section] ??= i + 1;
      lastKey = null;
      return;
    }
    const pair = /^\s*([^=:\s][^=:]*?)\s*[=:]\s*(.*?)\s*$/.exec(raw);
    if (!pair) throw new IniSyntaxError(i + 1, raw);
    doc[section] ??= {};
    lastKey = pair[1];
    doc[section][lastKey] = pair[2];
    (options[section] ??= {})[lastKey] = i + 1;
  });
  return { doc, at: { sections, options } };
};
