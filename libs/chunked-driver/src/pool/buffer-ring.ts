/**
 * A fixed set of equally sized buffers in shared memory, touched once and reused for the whole run
 * (first-touch page faults are expensive), and handed to workers without copying.
 */
export class BufferRing {
  private readonly free: Buffer[] = [];
  private readonly waiting: ((b: Buffer) => void)[] = [];

  constructor(readonly count: number, readonly sizeBytes: number) {
    const memory = new SharedArrayBuffer(count * sizeBytes);
    for (let i = 0; i < count; i++) this.free.push(Buffer.from(memory, i * sizeBytes, sizeBytes).fill(0));
  }

  acquire(): Promise<Buffer> {
    const b = this.free.pop();
    return b ? Promise.resolve(b) : new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Takes back a buffer from acquire() (any view of it). */
  release(view: Buffer): void {
    const whole = Buffer.from(view.buffer, view.byteOffset - (view.byteOffset % this.sizeBytes), this.sizeBytes);
    const next = this.waiting.shift();
    if (next) next(whole);
    else this.free.push(whole);
  }
}
