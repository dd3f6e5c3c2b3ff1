import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ForeignVolumeLocation, InvalidVolumeId, InvalidVolumeSize, VolumeAlreadyExists, VolumeNotExtendable } from '../errors';
import {
  MIB,
  allocatedBytes,
  makeSparseImage,
  makeTempDir,
  pattern,
  readAt,
  removeTempDir,
  sameBytes,
  sha256Of,
  writeAt,
  zeros,
} from '../testing/image-fixtures';
import { GIB_BYTES } from '../volume-size';
import { FileVolumeProvider } from './file-volume.provider';

describe('FileVolumeProvider', () => {
  let root: string;
  let dir: string;
  let provider: FileVolumeProvider;

  beforeEach(async () => {
    root = await makeTempDir('file');
    dir = join(root, 'volumes'); // not created yet: the provider makes it on first use
    provider = new FileVolumeProvider(dir);
  });
  afterEach(() => removeTempDir(root));

  describe('createVolume', () => {
    it('creates a sparse image of sizeGb GiB that allocates almost nothing', async () => {
      const location = await provider.createVolume('v1', 1);

      expect(location).toEqual({ kind: 'file', path: join(dir, 'volume-v1.img'), sizeBytes: GIB_BYTES, owned: true });
      expect((await stat(location.path)).size).toBe(GIB_BYTES);
      expect(await allocatedBytes(location.path)).toBeLessThan(MIB);
    });

    it('gives the image mode 0660 whatever the umask', async () => {
      const { path } = await provider.createVolume('v1', 1);
      expect((await stat(path)).mode & 0o777).toBe(0o660);
    });

    it('returns the same image when repeated with the same size, keeping its data', async () => {
      const first = await provider.createVolume('v1', 2);
      await writeAt(first.path, 4096, pattern(4096));

      await expect(provider.createVolume('v1', 2)).resolves.toEqual(first);
      expect(await readAt(first.path, 4096)).toEqual(pattern(4096));
    });

    it('gives both of two concurrent creates the one image', async () => {
      const [a, b] = await Promise.all([provider.createVolume('v1', 1), provider.createVolume('v1', 1)]);
      expect(a).toEqual(b);
      expect(await readdir(dir)).toEqual(['volume-v1.img']);
    });

    it('refuses to re-create an existing image at another size', async () => {
      await provider.createVolume('v1', 1);
      await expect(provider.createVolume('v1', 2)).rejects.toThrow(VolumeAlreadyExists);
      expect((await stat(join(dir, 'volume-v1.img'))).size).toBe(GIB_BYTES);
    });

    it.each([0, -1, 1.5, Number.NaN])('refuses a size of %d GiB', async (sizeGb) =>
      expect(provider.createVolume('v1', sizeGb)).rejects.toThrow(InvalidVolumeSize),
    );

    it.each(['../escape', 'a/b', '', '.hidden', 'x\0y'])('refuses the id %j, which could leave the directory', (id) =>
      expect(provider.createVolume(id, 1)).rejects.toThrow(InvalidVolumeId),
    );

    it('leaves no partial files behind', async () => {
      await provider.createVolume('v1', 1);
      await provider.createSnapshot(await provider.createVolume('v2', 1), 's2');
      expect((await readdir(dir)).sort()).toEqual(['snapshot-s2.img', 'volume-v1.img', 'volume-v2.img']);
    });
  });

  describe('extendVolume', () => {
    it('grows the image sparsely to the new size, keeping its data', async () => {
      const volume = await provider.createVolume('v1', 1);
      await writeAt(volume.path, 4096, pattern(4096));

      const grown = await provider.extendVolume(volume, 3);

      expect(grown).toEqual({ ...volume, sizeBytes: 3 * GIB_BYTES });
      expect((await stat(volume.path)).size).toBe(3 * GIB_BYTES);
      expect(await readAt(volume.path, 4096)).toEqual(pattern(4096));
      expect(await readAt(volume.path, 2 * GIB_BYTES + 8192)).toEqual(zeros(4096));
      expect(await allocatedBytes(volume.path)).toBeLessThan(MIB);
    });

    it('changes nothing when repeated after the image has grown', async () => {
      const volume = await provider.createVolume('v1', 1);
      const grown = await provider.extendVolume(volume, 2);
      await expect(provider.extendVolume(volume, 2)).resolves.toEqual(grown);
      expect((await stat(volume.path)).size).toBe(2 * GIB_BYTES);
    });

    it('never shrinks an image larger than asked', async () => {
      const volume = await provider.createVolume('v1', 2);
      await expect(provider.extendVolume(volume, 1)).rejects.toThrow(VolumeNotExtendable);
      expect((await stat(volume.path)).size).toBe(2 * GIB_BYTES);
    });

    it('refuses a managed file, leaving it as it was', async () => {
      const path = join(root, 'operator.img');
      await writeFile(path, pattern(4096));
      await expect(provider.extendVolume({ kind: 'file', path, sizeBytes: 4096, owned: false }, 1)).rejects.toThrow(
        `Cannot extend ${path}: it is not a volume image in ${dir}`,
      );
      expect((await stat(path)).size).toBe(4096);
    });

    it('refuses an owned location outside its directory', async () => {
      const path = join(root, 'volume-x.img');
      await writeFile(path, pattern(4096));
      await expect(provider.extendVolume({ kind: 'file', path, sizeBytes: 4096, owned: true }, 1)).rejects.toThrow(VolumeNotExtendable);
      expect((await stat(path)).size).toBe(4096);
    });
  });

  describe('deleteVolume', () => {
    it('removes the image', async () => {
      const location = await provider.createVolume('v1', 1);
      await provider.deleteVolume(location);
      expect(await readdir(dir)).toEqual([]);
    });

    it('succeeds when the image is already gone', async () => {
      const location = await provider.createVolume('v1', 1);
      await provider.deleteVolume(location);
      await expect(provider.deleteVolume(location)).resolves.toBeUndefined();
    });

    it('only forgets a managed volume, leaving its file untouched', async () => {
      const path = join(root, 'managed.img');
      await makeSparseImage(path, 8 * MIB, [0, 5 * MIB]);
      const before = await sha256Of(path);
      const managed = await provider.inspectManagedVolume(path);

      await provider.deleteVolume(managed);

      expect(await sha256Of(path)).toBe(before);
    });

    it('refuses an owned location that is not one of its images', async () => {
      const stranger = join(root, 'precious.img');
      await writeFile(stranger, 'keep me');

      await expect(provider.deleteVolume({ kind: 'file', path: stranger, sizeBytes: 7, owned: true })).rejects.toThrow(
        ForeignVolumeLocation,
      );
      await expect(provider.deleteVolume({ kind: 'block', path: '/dev/loop0', sizeBytes: GIB_BYTES, owned: true })).rejects.toThrow(
        ForeignVolumeLocation,
      );
      expect((await stat(stranger)).size).toBe(7);
    });

    it('refuses to delete a snapshot image as a volume', async () => {
      const snapshot = await provider.createSnapshot(await provider.createVolume('v1', 1), 's1');
      await expect(provider.deleteVolume(snapshot)).rejects.toThrow(ForeignVolumeLocation);
    });
  });

  describe('createSnapshot', () => {
    it('copies the source byte for byte', async () => {
      const volume = await provider.createVolume('v1', 1);
      for (const offset of [0, 3 * MIB + 4096, GIB_BYTES - 4096]) await writeAt(volume.path, offset, pattern(offset));

      const snapshot = await provider.createSnapshot(volume, 's1');

      expect(snapshot).toEqual({ kind: 'file', path: join(dir, 'snapshot-s1.img'), sizeBytes: GIB_BYTES, owned: true });
      expect(await sameBytes(snapshot.path, volume.path)).toBe(true);
    });

    it('is independent of later writes to the source', async () => {
      const volume = await provider.createVolume('v1', 1);
      await writeAt(volume.path, MIB, pattern(MIB));
      const snapshot = await provider.createSnapshot(volume, 's1');

      await writeAt(volume.path, MIB, pattern(7 * MIB));
      await writeAt(volume.path, 9 * MIB, pattern(9 * MIB));

      expect(await readAt(snapshot.path, MIB)).toEqual(pattern(MIB));
      expect(await readAt(snapshot.path, 9 * MIB)).toEqual(zeros());
      expect(await readAt(volume.path, MIB)).toEqual(pattern(7 * MIB));
    });

    it('keeps a sparse source sparse', async () => {
      const volume = await provider.createVolume('v1', 1);
      await writeAt(volume.path, 100 * MIB, pattern(100 * MIB));

      const snapshot = await provider.createSnapshot(volume, 's1');

      expect(await allocatedBytes(snapshot.path)).toBeLessThan(MIB);
    });

    it('snapshots a managed file, and the snapshot is owned', async () => {
      const path = join(root, 'managed.img');
      await makeSparseImage(path, 8 * MIB, [4096, 6 * MIB]);
      const managed = await provider.inspectManagedVolume(path);

      const snapshot = await provider.createSnapshot(managed, 's1');

      expect(snapshot.owned).toBe(true);
      expect(snapshot.sizeBytes).toBe(8 * MIB);
      expect(await sha256Of(snapshot.path)).toBe(await sha256Of(path));
    });

    it('returns the finished snapshot when repeated', async () => {
      const volume = await provider.createVolume('v1', 1);
      const first = await provider.createSnapshot(volume, 's1');
      await writeAt(volume.path, 0, pattern(0));

      await expect(provider.createSnapshot(volume, 's1')).resolves.toEqual(first);
      expect(await readAt(first.path, 0)).toEqual(zeros());
    });

    it('fails naming the source when it cannot be read, leaving nothing behind', async () => {
      const gone = { kind: 'file' as const, path: join(root, 'missing.img'), sizeBytes: MIB, owned: false };
      await expect(provider.createSnapshot(gone, 's1')).rejects.toThrow(`Copying ${gone.path}`);
      expect(await readdir(dir)).toEqual([]);
    });
  });

  describe('deleteSnapshot', () => {
    it('removes the snapshot and leaves the volume', async () => {
      const volume = await provider.createVolume('v1', 1);
      const snapshot = await provider.createSnapshot(volume, 's1');

      await provider.deleteSnapshot(snapshot);
      await provider.deleteSnapshot(snapshot);

      expect(await readdir(dir)).toEqual(['volume-v1.img']);
    });

    it('refuses to delete a volume image as a snapshot', async () => {
      const volume = await provider.createVolume('v1', 1);
      await expect(provider.deleteSnapshot(volume)).rejects.toThrow(ForeignVolumeLocation);
    });
  });
});
