import { boolean, integer, JSON_UNIT_BYTES, list, literal, nullable, object, optional, record, string, tagged } from './schema';
import { EVENT_SCHEMAS, MAX_EVENT_DATA_JSON_BYTES } from './event-schemas';

/** `value` as JSON with every character of every string and key written as `\uXXXX`: the longest form. */
const escapedJson = (value: unknown): string =>
  JSON.stringify(value).replace(/"((?:[^"\\]|\\.)*)"/g, (_, body: string) => {
    const text = JSON.parse(`"${body}"`) as string;
    return `"${[...text].map((_c, i) => `\\u${text.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')}"`;
  });

const bytes = (json: string) => Buffer.byteLength(json, 'utf8');

describe('a schema bounds the JSON of what it admits (maxJsonBytes)', () => {
  it('a string: quotes and six bytes a character, the most any escape takes', () => {
    const s = string({ maxLength: 5 });
    expect(s.maxJsonBytes).toBe(2 + 5 * JSON_UNIT_BYTES);
    expect(bytes(JSON.stringify('\u0001'.repeat(5)))).toBe(s.maxJsonBytes);
    expect(bytes(JSON.stringify('😀😀é'))).toBeLessThanOrEqual(s.maxJsonBytes);
  });

  it('an integer, a boolean, a literal and null by their longest spellings', () => {
    expect(integer({ min: -12, max: 7 }).maxJsonBytes).toBe(3);
    expect(integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).maxJsonBytes).toBe(16);
    expect(boolean.maxJsonBytes).toBe(5);
    expect(literal('a', 'abc').maxJsonBytes).toBe(2 + 3 * JSON_UNIT_BYTES);
    expect(literal(true).maxJsonBytes).toBe(4);
    expect(nullable(boolean).maxJsonBytes).toBe(5);
    expect(nullable(literal('a')).maxJsonBytes).toBe(8);
  });

  it('a composite value at every bound, written in its longest form, takes exactly the bound', () => {
    const schema = object({
      id: string({ maxLength: 4 }),
      tags: list(string({ maxLength: 2 }), { maxItems: 3 }),
      meta: record(string({ maxLength: 2 }), nullable(integer({ min: 0, max: 999 })), { maxKeys: 2 }),
      flag: boolean,
      note: optional(nullable(string({ maxLength: 3 }))),
      kind: tagged('k', { a: object({ k: literal('a') }), bb: object({ k: literal('bb'), n: integer({ min: -99, max: 9 }) }) }),
    });
    const worst = {
      id: '\u0001\u0002\u0003\u0004',
      tags: ['ab', 'cd', 'ef'],
      meta: { xy: null, zw: null },
      flag: false,
      note: 'abc',
      kind: { k: 'bb', n: -99 },
    };
    expect(schema.check(worst, 'data')).toBeNull();
    expect(bytes(escapedJson(worst))).toBe(schema.maxJsonBytes);
    expect(bytes(JSON.stringify(worst))).toBeLessThan(schema.maxJsonBytes);
  });

  it("every event type's data has a bound; BackupVerified's chain of 100,000 references sets the largest", () => {
    for (const schema of Object.values(EVENT_SCHEMAS)) expect(Number.isSafeInteger(schema.data.maxJsonBytes)).toBe(true);
    expect(MAX_EVENT_DATA_JSON_BYTES).toBe(EVENT_SCHEMAS['BackupVerified']!.data.maxJsonBytes);
    expect(MAX_EVENT_DATA_JSON_BYTES).toBeGreaterThan(100_000 * (2 + 255 * JSON_UNIT_BYTES));
  });
});
