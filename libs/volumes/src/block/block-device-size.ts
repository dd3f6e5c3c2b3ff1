import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { splitDeviceNumber } from './device-number';

/** sysfs always counts in 512-byte sectors, whatever the device's logical block size. */
const SYSFS_SECTOR_BYTES = 512;

/**
 * The size of a block device in bytes. `stat` reports 0 for a device node, and Node has no
 * BLKGETSIZE64 ioctl, so the kernel's own count is read from sysfs by device number.
 * `sysfsRoot` exists only so a test can point at a fake tree.
 */
export const blockDeviceSizeBytes = async (rdev: bigint, sysfsRoot = '/sys'): Promise<number> => {
  const { major, minor } = splitDeviceNumber(rdev);
  const sizeFile = join(sysfsRoot, 'dev', 'block', `${major}:${minor}`, 'size');
  const text = (await readFile(sizeFile, 'utf8')).trim();
  if (!/^\d+$/.test(text)) throw new Error(`${sizeFile} holds ${JSON.stringify(text)}, not a sector count`);
  return Number(text) * SYSFS_SECTOR_BYTES;
};
