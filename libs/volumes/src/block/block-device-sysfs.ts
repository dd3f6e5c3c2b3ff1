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
export const blockDeviceSizeBytes = async (rdev: bigint, sysfsRoot = '/sys'): Promise<number> =>
  Number(await readCount(rdev, 'size', sysfsRoot)) * SYSFS_SECTOR_BYTES;

/**
 * Whether the kernel marks the device read-only (`losetup -r`, a write-protected disk). Recent
 * kernels let such a device be opened read-write and only fail the writes, so opening it is no test.
 */
export const blockDeviceIsReadOnly = async (rdev: bigint, sysfsRoot = '/sys'): Promise<boolean> =>
  (await readCount(rdev, 'ro', sysfsRoot)) !== '0';

const readCount = async (rdev: bigint, attribute: string, sysfsRoot: string): Promise<string> => {
  const { major, minor } = splitDeviceNumber(rdev);
  const file = join(sysfsRoot, 'dev', 'block', `${major}:${minor}`, attribute);
  const text = (await readFile(file, 'utf8')).trim();
  if (!/^\d+$/.test(text)) throw new Error(`${file} holds ${JSON.stringify(text)}, not a count`);
  return text;
};
