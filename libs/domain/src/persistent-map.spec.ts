import { PersistentMap } from './persistent-map';

describe('PersistentMap', () => {
  it('gives back what was set, and leaves every earlier map as it was', () => {
    const empty = PersistentMap.empty<number>();
    const one = empty.set('a', 1);
    const two = one.set('b', 2);
    const changed = two.set('a', 10);

    expect([empty.get('a'), empty.has('a'), empty.size]).toEqual([undefined, false, 0]);
    expect([one.get('a'), one.get('b'), one.size]).toEqual([1, undefined, 1]);
    expect([two.get('a'), two.get('b'), two.size]).toEqual([1, 2, 2]);
    expect([changed.get('a'), changed.get('b'), changed.size]).toEqual([10, 2, 2]);
  });

  it('holds many keys, those that share a bucket included, each with its own value', () => {
    let map = PersistentMap.empty<string>();
    const keys = Array.from({ length: 5000 }, (_, i) => `backup:${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`);
    const halfway: PersistentMap<string>[] = [];
    for (const [i, key] of keys.entries()) {
      map = map.set(key, `value ${i}`);
      if (i === 2499) halfway.push(map);
    }

    expect(map.size).toBe(5000);
    expect(keys.every((key, i) => map.get(key) === `value ${i}`)).toBe(true);
    expect(halfway[0]!.size).toBe(2500);
    expect(keys.filter((key) => halfway[0]!.has(key))).toEqual(keys.slice(0, 2500));
  });
});
