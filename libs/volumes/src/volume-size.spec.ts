import { GIB_BYTES, bytesOfGb, sizeGbOf } from './volume-size';

describe('sizeGbOf', () => {
  it.each([
    [0, 0],
    [1, 1],
    [GIB_BYTES - 1, 1],
    [GIB_BYTES, 1],
    [GIB_BYTES + 1, 2],
    [10 * GIB_BYTES, 10],
    [10 * GIB_BYTES + 512, 11],
  ])('rounds %d bytes up to %d GiB, as Cinder sizes managed volumes', (bytes, sizeGb) => expect(sizeGbOf(bytes)).toBe(sizeGb));

  it('inverts bytesOfGb', () => expect(sizeGbOf(bytesOfGb(7))).toBe(7));
});
