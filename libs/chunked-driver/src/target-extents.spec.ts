import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dataExtentsOf, extentsAddon, overlapsAny, type ExtentsAddon } from './target-extents';

const MiB = 1 << 20;

describe('dataExtentsOf: where a restore target holds data before the restore writes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'strata-extents-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  const sparseFile = async (dataAtMiB: readonly number[], sizeMiB: number) => {
    const handle = await fsp.open(path.join(dir, 'target.img'), 'w+');
    await handle.truncate(sizeMiB * MiB);
    for (const mib of dataAtMiB) await handle.write(Buffer.alloc(4096, 1), 0, 4096, mib * MiB);
    return handle;
  };

  it('is built by set-up (scripts/build-native.sh), as CI runs it', () => {
    expect(extentsAddon()).not.toBeNull();
  });

  it('finds the stretches that hold data and nothing in the holes between them', async () => {
    const handle = await sparseFile([1, 3], 8);
    try {
      const extents = dataExtentsOf(handle.fd, 8 * MiB);
      expect(extents).not.toBeNull();
      expect(overlapsAny(extents!, 1 * MiB, 4096)).toBe(true);
      expect(overlapsAny(extents!, 3 * MiB, 4096)).toBe(true);
      for (const hole of [0, 2, 4, 5, 6, 7]) expect(overlapsAny(extents!, hole * MiB + 65536, MiB - 65536)).toBe(false);
    } finally {
      await handle.close();
    }
  });

  it('is unknown without the add-on, or where the file system cannot tell', async () => {
    const handle = await sparseFile([], 1);
    const cannotTell: ExtentsAddon = {
      seekData: () => {
        throw new Error('Invalid argument');
      },
      seekHole: () => 0,
    };
    try {
      expect(dataExtentsOf(handle.fd, MiB, null)).toBeNull();
      expect(dataExtentsOf(handle.fd, MiB, cannotTell)).toBeNull();
    } finally {
      await handle.close();
    }
  });

  it('reports a file system without holes as data throughout', () => {
    const noHoles: ExtentsAddon = { seekData: (_fd, at) => at, seekHole: () => 10 * MiB };
    expect(dataExtentsOf(3, 4 * MiB, noHoles)).toEqual([{ offsetBytes: 0, lengthBytes: 4 * MiB }]);
  });
});

describe('overlapsAny', () => {
  const extents = [
    { offsetBytes: 10, lengthBytes: 10 },
    { offsetBytes: 40, lengthBytes: 5 },
  ];
  it.each([
    [0, 10, false],
    [0, 11, true],
    [19, 1, true],
    [20, 20, false],
    [44, 100, true],
    [45, 100, false],
  ])('[%i, +%i) overlaps: %s', (offset, length, expected) => {
    expect(overlapsAny(extents, offset, length)).toBe(expected);
  });
});
