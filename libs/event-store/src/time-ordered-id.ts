import { randomFillSync } from 'node:crypto';

/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids from
 * one process strictly increasing within a millisecond, then 62 random bits. Event ids that grow with
 * time land at the right edge of the `event_id` index instead of on a random page, which is what keeps
 * SQLite appends fast once the log outgrows the page cache (docs/performance.md, "Event store").
 */
let lastMs = 0;
let counter = 0;
const bytes = Buffer.alloc(16);

export const timeOrderedUuid = (now: number = Date.now()): string => {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    // 4,096 ids in one millisecond: borrow the next millisecond rather than break the order.
    lastMs += 1;
    counter = 0;
  }
  randomFillSync(bytes, 8, 8);
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
