import { createHash } from 'node:crypto';

/** A fixed namespace so that Strata's ids never collide with another system's name-based UUIDs. */
const STRATA_NAMESPACE = Buffer.from('6f1d3c2e9a8b4e7f8c5d2a1b0e9f8d7c', 'hex');

/**
 * A name-based UUID (RFC 9562 version 5) for the `index`-th event decided for an idempotency key.
 * The same key always yields the same ids, which is what lets the store recognise a repeated command.
 */
export const deterministicEventId = (idempotencyKey: string, index: number): string => {
  const bytes = createHash('sha1').update(STRATA_NAMESPACE).update(`${idempotencyKey}\u0000${index}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
