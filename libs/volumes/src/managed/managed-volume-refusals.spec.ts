import { join } from 'node:path';
import { FileVolumeProvider } from '../file/file-volume.provider';
import { MIB, makeSparseImage, makeTempDir, removeTempDir } from '../testing/image-fixtures';
import { ManagedVolumeRefusals } from './managed-volume-refusals';

describe('ManagedVolumeRefusals', () => {
  let root: string;
  let refusals: ManagedVolumeRefusals;
  beforeEach(async () => {
    root = await makeTempDir('refusals');
    const managedPaths = { managedVolumePaths: [root], ownPaths: [] };
    refusals = new ManagedVolumeRefusals(new FileVolumeProvider(join(root, 'volumes'), { managedPaths }));
  });
  afterEach(() => removeTempDir(root));

  it('answers null for a path the worker would take', async () => {
    await makeSparseImage(join(root, 'db.img'), MIB, []);
    await expect(refusals.refusalOf(join(root, 'db.img'))).resolves.toBeNull();
  });

  it("answers the inspection's reason for a path the worker would refuse", async () => {
    await expect(refusals.refusalOf('/etc/shadow')).resolves.toBe(`is outside managed_volume_paths (${root})`);
    await expect(refusals.refusalOf(join(root, 'nothing.img'))).resolves.toBe('does not exist');
  });

  it('lets an error that is not a refusal through', async () => {
    const failing = new ManagedVolumeRefusals({ inspectManagedVolume: () => Promise.reject(new Error('sysfs is gone')) });
    await expect(failing.refusalOf('/dev/loop0')).rejects.toThrow('sysfs is gone');
  });
});
