/**
 * glibc's major()/minor() for a Linux dev_t. Node reports `rdev` as a number, and JavaScript's
 * bitwise operators work on 32 bits (`x >> 32` is `x`), so the split is done on a bigint; pass
 * `stat(path, { bigint: true }).rdev` to keep every bit.
 */
export interface DeviceNumber {
  readonly major: number;
  readonly minor: number;
}

export const splitDeviceNumber = (rdev: bigint): DeviceNumber => ({
  major: Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & 0xfffff000n)),
  minor: Number((rdev & 0xffn) | ((rdev >> 12n) & 0xffffff00n)),
});
