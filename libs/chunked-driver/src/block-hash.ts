import { hash as digestOf } from 'node:crypto';

/** Longest block checked against zeros with one comparison; longer ones are compared piece by piece. */
const ZEROS = Buffer.alloc(1 << 20);
const zeroHashes = new Map<number, string>();

/** Whether every byte of `b` is zero: a memcmp, an order of magnitude cheaper than hashing it. */
export const isAllZero = (b: Uint8Array): boolean => {
  for (let at = 0; at < b.length; at += ZEROS.length) {
    const n = Math.min(ZEROS.length, b.length - at);
    if (Buffer.compare(b.subarray(at, at + n), ZEROS.subarray(0, n)) !== 0) return false;
  }
  return true;
};

/** The SHA-256 of `length` zero bytes, hashed once per length. */
export const zeroBlockHash = (length: number): string => {
  let hash = zeroHashes.get(length);
  if (hash === undefined) {
    hash = digestOf('sha256', ZEROS.length >= length ? ZEROS.subarray(0, length) : Buffer.alloc(length), 'hex');
    zeroHashes.set(length, hash);
  }
  return hash;
};

/**
 * The hex SHA-256 of each `block`-sized block of `b` (the last may be shorter), as `_sha256file` lists
 * them. An all-zero block takes its hash from the cache: volumes are often mostly zeros (thin, fresh,
 * sparse), and comparing costs far less than hashing, while a block with data fails the comparison on
 * its first non-zero byte. A block with data is hashed by the one-shot `crypto.hash`, with no `Hash`
 * object per block: 5.2–5.5 against 5.8–5.9 ms per 8 MiB of 32 KiB blocks (2026-12-07), and a backup
 * or a restore hashes every block of the volume.
 */
export const sha256Blocks = (b: Uint8Array, block: number): string[] => {
  const hashes: string[] = [];
  for (let o = 0; o < b.length; o += block) {
    const view = b.subarray(o, Math.min(o + block, b.length));
    hashes.push(isAllZero(view) ? zeroBlockHash(view.length) : digestOf('sha256', view, 'hex'));
  }
  return hashes;
};
