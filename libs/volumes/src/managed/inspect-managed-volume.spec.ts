import { mkdir, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidManagedVolume } from '../errors';
import { FileVolumeProvider } from '../file/file-volume.provider';
import { MIB, makeSparseImage, makeTempDir, removeTempDir } from '../testing/image-fixtures';
import { inspectManagedVolume } from './inspect-managed-volume';
import type { ManagedPathPolicy } from './managed-path-policy';

describe('inspectManagedVolume', () => {
  let root: string;
  let ownDirectory: string;
  const inspect = (path: string) => inspectManagedVolume(path, { ownDirectory });
  const refusal = (path: string, reason: string) => new InvalidManagedVolume(path, reason).message;

  beforeEach(async () => {
    root = await makeTempDir('managed');
    ownDirectory = join(root, 'volumes');
    await mkdir(ownDirectory);
  });
  afterEach(() => removeTempDir(root));

  it('gives a regular file its exact size, as a location Strata does not own', async () => {
    const path = join(root, 'db.img');
    await makeSparseImage(path, 3 * MIB + 512, [0]);

    await expect(inspect(path)).resolves.toEqual({ kind: 'file', path, sizeBytes: 3 * MIB + 512, owned: false });
  });

  it('follows a symlink to a file outside its directory, keeping the path it was given', async () => {
    const path = join(root, 'db.img');
    await makeSparseImage(path, MIB, []);
    await symlink(path, join(root, 'by-name'));

    await expect(inspect(join(root, 'by-name'))).resolves.toMatchObject({ path: join(root, 'by-name'), sizeBytes: MIB });
  });

  it('is what FileVolumeProvider.inspectManagedVolume does for its own directory', async () => {
    const provider = new FileVolumeProvider(ownDirectory);
    const inside = join(ownDirectory, 'stray.img');
    await makeSparseImage(inside, MIB, []);

    await expect(provider.inspectManagedVolume(inside)).rejects.toThrow("lies inside Strata's own volume directory");
  });

  describe('refuses', () => {
    it('a relative path', () => expect(inspect('images/db.img')).rejects.toThrow(refusal('images/db.img', 'is not an absolute path')));

    it('a path that does not exist', () => {
      const path = join(root, 'nothing.img');
      return expect(inspect(path)).rejects.toThrow(refusal(path, 'does not exist'));
    });

    it('a directory', () => expect(inspect(root)).rejects.toThrow(refusal(root, 'is a directory, not a regular file or block device')));

    it('a character device', () =>
      expect(inspect('/dev/null')).rejects.toThrow(refusal('/dev/null', 'is a character device, not a regular file or block device')));

    it('a symlink loop', async () => {
      const [a, b] = [join(root, 'a'), join(root, 'b')];
      await symlink(b, a);
      await symlink(a, b);
      await expect(inspect(a)).rejects.toThrow(refusal(a, 'is a symlink loop'));
    });

    it('an empty file', async () => {
      const path = join(root, 'empty.img');
      await writeFile(path, '');
      await expect(inspect(path)).rejects.toThrow(refusal(path, 'is empty (0 bytes)'));
    });

    it("a file inside the provider's own volume directory", async () => {
      const path = join(ownDirectory, 'volume-other.img');
      await writeFile(path, '');
      await truncate(path, MIB);
      await expect(inspect(path)).rejects.toThrow(refusal(path, `lies inside Strata's own volume directory ${ownDirectory}`));
    });

    it("a symlink elsewhere that leads into the provider's own volume directory", async () => {
      const inside = join(ownDirectory, 'volume-other.img');
      await makeSparseImage(inside, MIB, []);
      const link = join(root, 'innocent.img');
      await symlink(inside, link);
      await expect(inspect(link)).rejects.toThrow("lies inside Strata's own volume directory");
    });

    it('the volume directory itself', () => expect(inspect(ownDirectory)).rejects.toThrow('is a directory'));
  });

  describe('under managed_volume_paths', () => {
    let admitted: string;
    let stateDir: string;
    let policy: ManagedPathPolicy;
    const inspectUnder = (path: string) => inspectManagedVolume(path, { ownDirectory, managedPaths: policy });

    beforeEach(async () => {
      admitted = join(root, 'admitted');
      stateDir = join(root, 'state');
      await mkdir(admitted);
      await mkdir(stateDir);
      policy = {
        managedVolumePaths: [admitted, '/dev/*'],
        ownPaths: [
          { option: 'state_path', path: stateDir },
          { option: 'event_store', path: join(admitted, 'events.sqlite') },
        ],
      };
    });

    it('takes a file in an admitted directory', async () => {
      const path = join(admitted, 'db.img');
      await makeSparseImage(path, MIB, []);
      await expect(inspectUnder(path)).resolves.toEqual({ kind: 'file', path, sizeBytes: MIB, owned: false });
    });

    it('refuses a file outside, naming the option and what it lists', async () => {
      const path = join(root, 'elsewhere.img');
      await makeSparseImage(path, MIB, []);
      await expect(inspectUnder(path)).rejects.toThrow(refusal(path, `is outside managed_volume_paths (${admitted}, /dev/*)`));
    });

    it('does not tell whether a path outside exists', () =>
      expect(inspectUnder('/root/no-such-file')).rejects.toThrow(`is outside managed_volume_paths (${admitted}, /dev/*)`));

    it('says that a path in an admitted directory does not exist', () =>
      expect(inspectUnder(join(admitted, 'nothing.img'))).rejects.toThrow(refusal(join(admitted, 'nothing.img'), 'does not exist')));

    it('refuses a symlink in an admitted directory that leads outside, saying where', async () => {
      await symlink('/etc/passwd', join(admitted, 'passwd'));
      await expect(inspectUnder(join(admitted, 'passwd'))).rejects.toThrow(
        refusal(join(admitted, 'passwd'), `is outside managed_volume_paths (${admitted}, /dev/*): it leads to /etc/passwd`),
      );
    });

    it("refuses Strata's own files, even inside an admitted directory or through a symlink", async () => {
      const store = join(admitted, 'events.sqlite');
      await makeSparseImage(store, MIB, []);
      await symlink(join(stateDir, 'catalog.sqlite'), join(admitted, 'catalog-link'));
      await makeSparseImage(join(stateDir, 'catalog.sqlite'), MIB, []);

      await expect(inspectUnder(store)).rejects.toThrow(refusal(store, `is Strata's own state (event_store ${store}), not a volume`));
      await expect(inspectUnder(join(admitted, 'catalog-link'))).rejects.toThrow(
        `is Strata's own state (state_path ${stateDir}), not a volume`,
      );
    });

    it('admits a file through an admitted directory reached by a symlink', async () => {
      const linked = join(root, 'linked');
      await symlink(admitted, linked);
      await makeSparseImage(join(admitted, 'db.img'), MIB, []);
      policy = { ...policy, managedVolumePaths: [linked] };
      await expect(inspectUnder(join(linked, 'db.img'))).resolves.toMatchObject({ path: join(linked, 'db.img'), sizeBytes: MIB });
    });

    it('refuses a character device that the /dev glob matches, saying what it is', () =>
      expect(inspectUnder('/dev/null')).rejects.toThrow(refusal('/dev/null', 'is a character device, not a regular file or block device')));
  });
});
