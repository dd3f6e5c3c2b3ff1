import { splitDeviceNumber } from './device-number';

/** glibc's makedev, written out so the table shows where each bit goes. */
const makedev = (major: bigint, minor: bigint): bigint =>
  ((major & 0xfffn) << 8n) | ((major & ~0xfffn) << 32n) | (minor & 0xffn) | ((minor & ~0xffn) << 12n);

describe('splitDeviceNumber', () => {
  it.each([
    ['loop0', 7n, 0n],
    ['loop3', 7n, 3n],
    ['sda', 8n, 0n],
    ['nvme0n1p1', 259n, 1n],
    ['a minor above 255', 8n, 300n],
    ['a minor using all 20 bits', 253n, 0xfffffn],
    ['a major above 4095 (high bits past 32)', 0x12345n, 17n],
  ])('splits %s back into its major and minor', (_name, major, minor) =>
    expect(splitDeviceNumber(makedev(major, minor))).toEqual({ major: Number(major), minor: Number(minor) }),
  );

  it('reads /dev/loop0 as 7:0 from the number Node reports', () => expect(splitDeviceNumber(1792n)).toEqual({ major: 7, minor: 0 }));
});
