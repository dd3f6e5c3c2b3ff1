import { PersistentMap } from './persistent-map';

describe('PersistentMap', () => {
  it('gives back what was set, and leaves every earlier map as it was', () => {
    const empty = PersistentMap.empty<number>();
    const one = empty.set('a', 1);
    const two = one.set('b', 2);
    const changed = two.set('a', 10);

    expect([empty.get('a'), empty.has('a')]).toEqual([undefined, false]);
    expect([one.get('a'), one.get('b'), one.has('b')]).toEqual([1, undefined, false]);
    expect([two.get('a'), two.get('b')]).toEqual([1, 2]);
    expect([changed.get('a'), changed.get('b')]).toEqual([10, 2]);
  });

  it('holds many keys, those that share a bucket included, each with its own value', () => {
    let map = PersistentMap.empty<string>();
    const keys = Array.from({ length: 5000 }, (_, i) => `backup:${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`);
    const halfway: PersistentMap<string>[] = [];
    for (const [i, key] of keys.entries()) {
      map = map.set(key, `value ${i}`);
      if (i === 2499) halfway.push(map);
    }

    expect(keys.every((key, i) => map.get(key) === `value ${i}`)).toBe(true);
    expect(keys.filter((key) => halfway[0]!.has(key))).toEqual(keys.slice(0, 2500));
  });
});
