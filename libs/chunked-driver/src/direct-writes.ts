import { constants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { DIRECT_ALIGN_BYTES, alignedMemory, directIoWanted, inAlignedMemory, isEinval, pageAligned } from './direct-io';

export { DIRECT_ALIGN_BYTES } from './direct-io';

/** The most one direct write copies at once (a restore's 4 MiB piece goes in four). */
const SLOT_BYTES = 1 << 20;
/** Direct writes in flight in the process, each from a slot of its own. */
const SLOTS = 4;

/** Aligned memory for direct writes, shared by every writer of the process (4 MiB, made once). */
class AlignedSlots {
  private readonly free: Buffer[] = [];
  private readonly waiting: ((slot: Buffer) => void)[] = [];

  constructor() {
    const memory = alignedMemory(SLOTS * SLOT_BYTES);
    for (let i = 0; i < SLOTS; i++) this.free.push(memory.subarray(i * SLOT_BYTES, (i + 1) * SLOT_BYTES));
  }

  acquire(): Promise<Buffer> {
    const slot = this.free.pop();
    return slot ? Promise.resolve(slot) : new Promise((resolve) => this.waiting.push(resolve));
  }

  release(slot: Buffer): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.free.push(slot);
  }
}

let slots: AlignedSlots | null = null;
const alignedSlots = (): AlignedSlots => (slots ??= new AlignedSlots());

/**
 * Writes of whole pages to a regular file through a second descriptor opened with O_DIRECT, beside the
 * caller's own (which writes what is not whole pages, reads, and fsyncs: an fsync of either covers the
 * file's blocks, and the kernel keeps the page cache coherent with direct writes of other ranges).
 *
 * Why: a restore writing a volume through the page cache copies every byte into pages it has to allocate
 * first, and on a VM whose free memory goes back to the host (balloon free-page reporting, as on this
 * project's machines), each of those pages is first faulted in by the host. The 1 GiB bench image's
 * restore took 1.37–2.39 s with 1.3–2.7 s of system CPU when its 728 MiB of data landed in such pages, and
 * 0.64–0.88 s with 0.13–0.23 s direct in 19 restores of 20 (engine alone, 2026-12-07). It also leaves the
 * host's page cache to the guests that read from it, which is why Cinder copies volumes with
 * `oflag=direct` where the target takes it (`volume_utils.check_for_odirect_support`).
 *
 * A file system that refuses O_DIRECT at open (tmpfs) gets no direct writes; one that refuses a write
 * (EINVAL: an alignment it wants larger than a page) makes this writer give up direct writes for the rest
 * of its file, and that piece is the caller's to write: never a failure. Any other error is the write's.
 */
export class DirectWrites {
  private usable = true;

  private constructor(private readonly handle: FileHandle) {}

  /** Direct writes to `path`, a regular file; null where they are turned off or the file system has none. */
  static async open(path: string): Promise<DirectWrites | null> {
    if (!directIoWanted()) return null;
    let handle: FileHandle;
    try {
      handle = await fsp.open(path, constants.O_WRONLY | constants.O_DIRECT);
    } catch {
      return null;
    }
    try {
      if ((await handle.stat()).isFile()) return new DirectWrites(handle);
    } catch {
      // Not known to be a regular file: no direct writes.
    }
    await handle.close();
    return null;
  }

  /**
   * Writes `piece` at `offset` when both are whole pages and direct writes still work here; false when the
   * caller must write it itself (what of it went through then gets the same bytes again).
   */
  async write(piece: Buffer, offset: number): Promise<boolean> {
    if (!this.usable || !pageAligned(offset, piece.length)) return false;
    const slot = await alignedSlots().acquire();
    try {
      for (let at = 0; at < piece.length; at += SLOT_BYTES) {
        const length = Math.min(SLOT_BYTES, piece.length - at);
        piece.copy(slot, 0, at, at + length);
        if (!(await this.writeAligned(slot.subarray(0, length), offset + at))) return false;
      }
      return true;
    } finally {
      alignedSlots().release(slot);
    }
  }

  /** `write` of bytes already in aligned memory (`alignedMemory`), in whole pages at a whole page. */
  async writeAligned(bytes: Buffer, offset: number): Promise<boolean> {
    if (!this.usable) return false;
    try {
      for (let done = 0; done < bytes.length;)
        done += (await this.handle.write(bytes, done, bytes.length - done, offset + done)).bytesWritten;
      return true;
    } catch (e) {
      // The caller writes the whole piece again: pages that did go through get the same bytes.
      if (!isEinval(e)) throw e;
      this.usable = false;
      return false;
    }
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/**
 * A new file written from start to end (a backup object) through `DirectWrites`: the bytes are gathered
 * in one of the process's aligned slots, taken for as long as it fills, and go out a slot at a time with
 * no further copy; what is not a whole page at the end, and whatever direct writes refuse, goes through
 * `buffered` (the caller's descriptor, at the position given). Whole pages in page-aligned memory (a
 * compressor's output, see the pool's `zstdCompressPages`) arriving while nothing is gathered are written
 * as they are, without the copy.
 */
export class DirectAppender {
  private slot: Buffer | null = null;
  private filled = 0;
  private position = 0;

  constructor(
    private readonly direct: DirectWrites,
    private readonly buffered: (bytes: Buffer, position: number) => Promise<void>,
  ) {}

  async append(chunk: Buffer): Promise<void> {
    if (this.slot === null && chunk.length > 0 && pageAligned(this.position, chunk.length) && inAlignedMemory(chunk)) {
      if (await this.direct.writeAligned(chunk, this.position)) {
        this.position += chunk.length;
        return;
      }
    }
    for (let at = 0; at < chunk.length;) {
      const slot = (this.slot ??= await alignedSlots().acquire());
      const n = Math.min(chunk.length - at, slot.length - this.filled);
      chunk.copy(slot, this.filled, at, at + n);
      this.filled += n;
      at += n;
      if (this.filled === slot.length) await this.flush();
    }
  }

  /** Writes what is gathered: its whole pages directly, the rest (under a page) through `buffered`. */
  async end(): Promise<void> {
    await this.flush();
  }

  private async flush(): Promise<void> {
    const slot = this.slot;
    if (!slot) return;
    try {
      const pages = this.filled - (this.filled % DIRECT_ALIGN_BYTES);
      const whole = slot.subarray(0, pages);
      if (pages > 0 && !(await this.direct.writeAligned(whole, this.position))) await this.buffered(whole, this.position);
      if (pages < this.filled) await this.buffered(slot.subarray(pages, this.filled), this.position + pages);
      this.position += this.filled;
      this.filled = 0;
    } finally {
      this.release();
    }
  }

  private release(): void {
    if (this.slot) alignedSlots().release(this.slot);
    this.slot = null;
  }

  /** Closes the direct descriptor; a slot still held (a write that failed or stopped) goes back. */
  async close(): Promise<void> {
    this.release();
    await this.direct.close();
  }
}
