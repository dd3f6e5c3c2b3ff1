import { pyLiteralOf } from './py-literal';

describe("Python literals as Cinder's list filters evaluate them", () => {
  it('reads the dicts cinderclient sends', () => {
    expect(pyLiteralOf("{'k': 'v'}")).toEqual({ k: 'v' });
    expect(pyLiteralOf("{\"a b\": \"c:d\", 'n': 5, 't': True, 'z': None}")).toEqual({ 'a b': 'c:d', n: 5, t: true, z: null });
    expect(pyLiteralOf(' { } ')).toEqual({});
    expect(pyLiteralOf("{'a': ['x', (1, 2)]}")).toEqual({ a: ['x', [1, 2]] });
    expect(pyLiteralOf("'it\\'s'")).toBe("it's");
  });

  it('is undefined for what literal_eval refuses (Cinder then keeps the text)', () => {
    for (const text of [
      '{k: v}',
      "{'k': 'v'",
      "{'k' 'v'}",
      'k=v',
      "{'k': open('x')}",
      '',
      "'unterminated",
      '{'.repeat(100) + '}'.repeat(100),
    ])
      expect(pyLiteralOf(text)).toBeUndefined();
  });
});
