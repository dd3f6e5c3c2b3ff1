import { MAX_JSON_DEPTH, nestsDeeperThan } from './body-depth';

const nested = (depth: number, open: () => unknown[] | Record<string, unknown>) => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) {
    const level = open();
    if (Array.isArray(level)) level.push(value);
    else level.k = value;
    value = level;
  }
  return value;
};

describe('nestsDeeperThan', () => {
  it('admits a Cinder body: metadata inside a payload inside its envelope', () =>
    expect(nestsDeeperThan({ backup: { volume_id: 'v', metadata: { k: 'v' } } }, MAX_JSON_DEPTH)).toBe(false));

  it('counts lists and objects alike, and admits exactly the bound', () => {
    expect(
      nestsDeeperThan(
        nested(MAX_JSON_DEPTH, () => []),
        MAX_JSON_DEPTH,
      ),
    ).toBe(false);
    expect(
      nestsDeeperThan(
        nested(MAX_JSON_DEPTH + 1, () => ({})),
        MAX_JSON_DEPTH,
      ),
    ).toBe(true);
  });

  it('walks a million levels without overflowing the stack', () =>
    expect(
      nestsDeeperThan(
        nested(1_000_000, () => []),
        MAX_JSON_DEPTH,
      ),
    ).toBe(true));

  it('takes scalars and null as depth 0', () => {
    for (const value of [null, undefined, 1, 'x', true]) expect(nestsDeeperThan(value, 0)).toBe(false);
  });
});
