import { openMemoryEventStore } from './memory/memory-event-store';
import { cachedState, forgetState, keepState } from './stream-state-cache';

const evolve = (n: number) => n + 1;
const foldAt = (revision: bigint) => ({ state: Number(revision), revision, position: revision + 1n, lastEventId: `e-${revision}` });

describe('the folds a process keeps of the streams it read', () => {
  const store = openMemoryEventStore();
  afterAll(() => store.close());
  let n = 0;
  /** Stream names of their own for each case: the cache lives as long as the store. */
  const streams = (count: number) => Array.from({ length: count }, () => `counter-${++n}`);

  it('gives back the latest fold of a stream, never one behind a fold it keeps', () => {
    const [stream] = streams(1);
    keepState(store, stream!, evolve, foldAt(5n));
    keepState(store, stream!, evolve, foldAt(3n));

    expect(cachedState(store, stream!, evolve)).toEqual(foldAt(5n));
    expect(cachedState(store, stream!, () => 0)).toBeUndefined();
    forgetState(store, stream!, evolve);
    expect(cachedState(store, stream!, evolve)).toBeUndefined();
  });

  it('keeps the 128 streams read last, the least recently read going first', () => {
    const names = streams(130);
    for (const name of names.slice(0, 128)) keepState(store, name, evolve, foldAt(0n));
    cachedState(store, names[0]!, evolve);
    keepState(store, names[128]!, evolve, foldAt(0n));
    keepState(store, names[129]!, evolve, foldAt(0n));

    expect(cachedState(store, names[0]!, evolve)).toBeDefined();
    expect(cachedState(store, names[1]!, evolve)).toBeUndefined();
    expect(cachedState(store, names[2]!, evolve)).toBeUndefined();
    expect(cachedState(store, names[3]!, evolve)).toBeDefined();
  });

  it('keeps folds of 250,000 events at most, and always the one kept last, however long', () => {
    const [a, b, c] = streams(3);
    keepState(store, a!, evolve, foldAt(99_999n));
    keepState(store, b!, evolve, foldAt(149_999n));
    expect(cachedState(store, a!, evolve)).toBeDefined();

    keepState(store, c!, evolve, foldAt(299_999n));

    expect([a, b, c].map((s) => cachedState(store, s!, evolve)?.revision)).toEqual([undefined, undefined, 299_999n]);
  });
});
