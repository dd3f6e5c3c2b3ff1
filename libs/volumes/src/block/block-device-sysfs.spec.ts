import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, removeTempDir } from '../testing/image-fixtures';
import { blockDeviceIsReadOnly, blockDeviceSizeBytes } from './block-device-sysfs';

describe('block device facts from sysfs', () => {
  let sysfs: string;
  const loop3 = (7n << 8n) | 3n;
  const give = (attribute: string, text: string) => writeFile(join(sysfs, 'dev/block/7:3', attribute), text);

  beforeEach(async () => {
    sysfs = await makeTempDir('sysfs');
    await mkdir(join(sysfs, 'dev/block/7:3'), { recursive: true });
  });
  afterEach(() => removeTempDir(sysfs));

  describe('blockDeviceSizeBytes', () => {
    it('counts the sysfs size in 512-byte sectors', async () => {
      await give('size', '20480\n');
      await expect(blockDeviceSizeBytes(loop3, sysfs)).resolves.toBe(10 * 1024 * 1024);
    });

    it('refuses a size file that does not hold a sector count', async () => {
      await give('size', 'lots\n');
      await expect(blockDeviceSizeBytes(loop3, sysfs)).rejects.toThrow('not a count');
    });

    it('fails for a device number the kernel does not know', () =>
      expect(blockDeviceSizeBytes((7n << 8n) | 9n, sysfs)).rejects.toThrow(/ENOENT/));
  });

  describe('blockDeviceIsReadOnly', () => {
    it.each([
      ['0\n', false],
      ['1\n', true],
    ])('reads ro=%j as %s', async (text, readOnly) => {
      await give('ro', text);
      await expect(blockDeviceIsReadOnly(loop3, sysfs)).resolves.toBe(readOnly);
    });
  });
});
