import { alignedSharedMemory } from '../direct-io';

/**
 * Where each buffer starts relative to a page boundary. A read(2) into a page-aligned buffer copies from
 * the page cache (also page-aligned) with every load 4 KiB apart from the store before it, which the CPU
 * mistakes for a dependency (4K aliasing): on our build VMs reading 1 GiB from the page cache took
 * 0.65 s into page-aligned buffers and 0.15 s into buffers starting 2 KiB into a page.
 */
export const READ_BUFFER_SKEW_BYTES = 2048;
const PAGE_BYTES = 4096;

/**
 * `skewed`: each buffer starts READ_BUFFER_SKEW_BYTES into a page, for reads through the page cache.
 * `aligned`: each starts on a page, for reads with O_DIRECT, which the device fills without a CPU copy.
 */
export type RingLayout = 'skewed' | 'aligned';

/**
 * A fixed set of equally sized buffers in shared memory, reused for the whole run (first-touch page
 * faults are expensive: each page is faulted in once, by its first read), and handed to workers
 * without copying.
 */
export class BufferRing {
  private readonly free: Buffer[] = [];
  private readonly waiting: ((b: Buffer) => void)[] = [];
  /** Distance between the starts of two buffers: a whole number of pages, so every buffer has the same skew. */
  private readonly stride: number;
  private readonly skew: number;

  constructor(
    readonly count: number,
    readonly sizeBytes: number,
    readonly layout: RingLayout = 'skewed',
  ) {
    this.skew = layout === 'aligned' ? 0 : READ_BUFFER_SKEW_BYTES;
    this.stride = Math.ceil((sizeBytes + this.skew) / PAGE_BYTES) * PAGE_BYTES;
    const memory = layout === 'aligned' ? alignedSharedMemory(count * this.stride) : new SharedArrayBuffer(count * this.stride);
    for (let i = 0; i < count; i++) this.free.push(Buffer.from(memory, i * this.stride + this.skew, sizeBytes));
  }

  /** Whether every buffer is back and nobody waits for one. */
  get idle(): boolean {
    return this.free.length === this.count && this.waiting.length === 0;
  }

  acquire(): Promise<Buffer> {
    const b = this.free.pop();
    return b ? Promise.resolve(b) : new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Takes back a buffer from acquire() (any view of it). */
  release(view: Buffer): void {
    const start = view.byteOffset - ((view.byteOffset - this.skew) % this.stride);
    const whole = Buffer.from(view.buffer, start, this.sizeBytes);
    const next = this.waiting.shift();
    if (next) next(whole);
    else this.free.push(whole);
  }
}
