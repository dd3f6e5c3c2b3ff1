import { BufferRing, READ_BUFFER_SKEW_BYTES } from './buffer-ring';

describe('BufferRing', () => {
  it('hands out buffers that start 2 KiB into a page, in shared memory', async () => {
    const ring = new BufferRing(3, 1 << 20);

    const buffers = await Promise.all([ring.acquire(), ring.acquire(), ring.acquire()]);

    for (const b of buffers) {
      expect(b.length).toBe(1 << 20);
      expect(b.byteOffset % 4096).toBe(READ_BUFFER_SKEW_BYTES);
      expect(b.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
  });

  it('hands out buffers that start on a page when laid out for direct reads, in shared memory', async () => {
    const ring = new BufferRing(3, (1 << 20) + 100, 'aligned');

    const buffers = await Promise.all([ring.acquire(), ring.acquire(), ring.acquire()]);

    for (const b of buffers) {
      expect(b.length).toBe((1 << 20) + 100);
      expect(b.byteOffset % 4096).toBe(0);
      expect(b.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    ring.release(buffers[1]!.subarray(5000, 6000));
    expect((await ring.acquire()).byteOffset).toBe(buffers[1]!.byteOffset);
  });

  it('takes back a view of a buffer as the whole buffer, and gives it to the oldest waiter', async () => {
    const ring = new BufferRing(1, 100_000);
    const first = await ring.acquire();
    const waiting = ring.acquire();

    ring.release(first.subarray(10, 500));

    const again = await waiting;
    expect(again.byteOffset).toBe(first.byteOffset);
    expect(again.length).toBe(100_000);
  });

  it('keeps each buffer apart from the next', async () => {
    const ring = new BufferRing(2, 5000);
    const [a, b] = await Promise.all([ring.acquire(), ring.acquire()]);

    a!.fill(1);
    b!.fill(2);

    expect(a!.every((x) => x === 1)).toBe(true);
    expect(b!.every((x) => x === 2)).toBe(true);
  });
});
