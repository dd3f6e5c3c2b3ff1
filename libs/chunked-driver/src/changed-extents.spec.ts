import { assertIncrementalPossible, ChangedRunFinder, changedExtents } from './changed-extents';

const B = 1024;
/** Hash lists as letters: a block differs from the parent where the letters differ. */
const hashes = (s: string): string[] => [...s];

describe('changedExtents', () => {
  it.each([
    ['nothing changed', 0, 'aaaa', 'aaaa', 4 * B, []],
    ['one block', 0, 'abaa', 'aaaa', 4 * B, [[1 * B, B]]],
    ['an adjacent run becomes one extent', 0, 'abba', 'aaaa', 4 * B, [[1 * B, 2 * B]]],
    [
      'two runs',
      0,
      'baab',
      'aaaa',
      4 * B,
      [
        [0, B],
        [3 * B, B],
      ],
    ],
    ['offsets are absolute for a later chunk', 4 * B, 'abaa', 'aaaaaaaa', 4 * B, [[5 * B, B]]],
    ['a run reaching the end of a short last chunk is short', 4 * B, 'ab', 'aaaaaa', B + 100, [[5 * B, 100]]],
    ['a block the parent never had is changed', 0, 'aa', 'a', 2 * B, [[B, B]]],
  ] as const)('%s', (_case, offsetBytes, current, parent, lengthBytes, expected) => {
    const extents = changedExtents({ offsetBytes, lengthBytes, blockSizeBytes: B, current: hashes(current), parent: hashes(parent) });

    expect(extents.map((e) => [e.offsetBytes, e.lengthBytes])).toEqual(expected);
  });
});

describe('assertIncrementalPossible', () => {
  it.each([
    [
      'a changed block size',
      2048,
      4 * B,
      'Hash block size has changed since the last backup. New hash block size: 2048. Old hash block size: 1024. Do a full backup.',
    ],
    ['a grown volume', B, 4 * B + 1, 'Volume size increased since the last backup. Do a full backup.'],
  ])('refuses %s', (_case, blockSize, volumeBytes, message) => {
    expect(() => assertIncrementalPossible({ blockSizeBytes: B, sha256s: hashes('aaaa') }, blockSize, volumeBytes)).toThrow(message);
  });

  it('accepts a volume that shrank or kept its size', () => {
    expect(() => assertIncrementalPossible({ blockSizeBytes: B, sha256s: hashes('aaaa') }, B, 3 * B)).not.toThrow();
  });
});

describe('ChangedRunFinder', () => {
  it('finds the same runs as changedExtents when the hashes arrive a few at a time', () => {
    const current = hashes('bbaabaaabbbb');
    const parent = hashes('aaaaaaaaaaaa');
    const finder = new ChangedRunFinder({ offsetBytes: 0, lengthBytes: 12 * B, blockSizeBytes: B, parent });

    const found = [current.slice(0, 3), current.slice(3, 5), current.slice(5, 9), current.slice(9)].flatMap((h) => finder.push(h));

    expect([...found, ...finder.end()]).toEqual(
      changedExtents({ offsetBytes: 0, lengthBytes: 12 * B, blockSizeBytes: B, current, parent }),
    );
  });

  it('reports a run as soon as an unchanged block closes it', () => {
    const finder = new ChangedRunFinder({ offsetBytes: 0, lengthBytes: 4 * B, blockSizeBytes: B, parent: hashes('aaaa') });

    expect(finder.push(hashes('bb'))).toEqual([]);
    expect(finder.push(hashes('a'))).toEqual([{ offsetBytes: 0, lengthBytes: 2 * B }]);
  });
});
