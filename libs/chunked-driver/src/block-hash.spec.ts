import { createHash } from 'node:crypto';
import { isAllZero, sha256Blocks } from './block-hash';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('sha256Blocks: the hashes _sha256file lists, zero blocks taken from a cache', () => {
  it('gives every block, zero or not, the SHA-256 of its bytes', () => {
    const block = 32 * 1024;
    const data = Buffer.alloc(5 * block + 100);
    data[block + block - 1] = 1; // the second block's last byte only
    data.fill(7, 3 * block, 4 * block);
    data[5 * block + 99] = 9; // the short tail
    const expected = [0, 1, 2, 3, 4, 5].map((k) => sha256(data.subarray(k * block, Math.min((k + 1) * block, data.length))));
    expect(sha256Blocks(data, block)).toEqual(expected);
  });

  it('hashes zero blocks of any length, longer than the comparison buffer too', () => {
    const block = 3 * (1 << 20) + 5;
    const zeros = Buffer.alloc(block);
    expect(sha256Blocks(zeros, block)).toEqual([sha256(zeros)]);
    zeros[block - 1] = 1;
    expect(isAllZero(zeros)).toBe(false);
    expect(sha256Blocks(zeros, block)).toEqual([sha256(zeros)]);
  });
});
