/** Turns the text of one option into its typed value, or says why it cannot. */
export interface OptionParser<T> {
  readonly defaultValue: T;
  parse(text: string): T;
}

export class InvalidOption extends Error {
  override readonly name = 'InvalidOption';
  constructor(
    readonly option: string,
    readonly source: string,
    reason: string,
  ) {
    super(`Invalid value for option ${option} (from ${source}): ${reason}`);
  }
}

class OptionValueError extends Error {}

export const parseString = (defaultValue: string, choices?: readonly string[]): OptionParser<string> => ({
  defaultValue,
  parse(text) {
    if (choices && !choices.includes(text.toLowerCase())) throw new OptionValueError(`"${text}" is not one of ${choices.join(', ')}`);
    return choices ? text.toLowerCase() : text;
  },
});

export const parseInteger = (defaultValue: number, range: { min?: number; max?: number } = {}): OptionParser<number> => ({
  defaultValue,
  parse(text) {
    if (!/^-?\d+$/.test(text.trim())) throw new OptionValueError(`"${text}" is not an integer`);
    const value = Number(text.trim());
    if (range.min !== undefined && value < range.min) throw new OptionValueError(`${value} is below ${range.min}`);
    if (range.max !== undefined && value > range.max) throw new OptionValueError(`${value} is above ${range.max}`);
    return value;
  },
});

/** A comma-separated list; blanks around and between the commas are dropped. */
export const parseList = (defaultValue: readonly string[]): OptionParser<readonly string[]> => ({
  defaultValue,
  parse: (text) =>
    text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
});

const TRUE = ['true', '1', 'on', 'yes', 'y', 't'];
const FALSE = ['false', '0', 'off', 'no', 'n', 'f'];

export const parseBoolean = (defaultValue: boolean): OptionParser<boolean> => ({
  defaultValue,
  parse(text) {
    const t = text.trim().toLowerCase();
    if (TRUE.includes(t)) return true;
    if (FALSE.includes(t)) return false;
    throw new OptionValueError(`"${text}" is not a boolean`);
  },
});

export const isOptionValueError = (e: unknown): e is Error => e instanceof OptionValueError;
