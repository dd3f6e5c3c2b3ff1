import { constants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { DIRECT_ALIGN_BYTES, directIoWanted, inAlignedMemory, isEinval, pageAligned } from './direct-io';
import { readExactly } from './read-exactly';

/**
 * Reads of whole pages from a volume (a regular file or a block device) or a backup object through a
 * second descriptor opened with O_DIRECT: the device puts the bytes straight into the caller's
 * page-aligned memory (`alignedSharedMemory`), where a read through the page cache copies each of them on
 * a CPU, into pages the cache must first find.
 *
 * Why: a full backup is bound by CPU here (md5, zstd and the block hashes of 1 GiB take 3.1 CPU seconds
 * of its 3.5 on two cores), and copying the bench image out of the page cache took 0.2–0.3 s of it on
 * the threads that hash and compress. Direct reads take 0.02 s of CPU for the same gibibyte and run on
 * the I/O pool, beside that work. A restore reads objects that were written with O_DIRECT, so not
 * cached: through the page cache, the first restore of a process spent 0.7 s of system CPU on the pages
 * (1.56 s against 0.78 s for the next ones; see `direct-writes.ts` for why pages cost that on these
 * VMs). The kernel writes back dirty pages of the range before a direct read, so what a guest wrote
 * through the page cache is what is read. Like Cinder's `iflag=direct` copies, it also leaves the host's
 * page cache to the guests.
 *
 * What is not a whole page at the end of a piece (a volume's odd tail) is read through the caller's own
 * descriptor. A file system that refuses O_DIRECT at open (tmpfs) gets none; a read refused with EINVAL
 * (a device whose logical block is larger than a page) turns them off for the rest of the volume, and the
 * caller reads that piece itself: never a failure. Any other error is the read's.
 */
export class DirectReads {
  private usable = true;

  private constructor(
    private readonly direct: FileHandle,
    private readonly buffered: FileHandle,
  ) {}

  /** Direct reads of `path`, `buffered` being the caller's descriptor of it; null where they are off or impossible. */
  static async open(path: string, buffered: FileHandle): Promise<DirectReads | null> {
    if (!directIoWanted()) return null;
    try {
      return new DirectReads(await fsp.open(path, constants.O_RDONLY | constants.O_DIRECT), buffered);
    } catch {
      return null;
    }
  }

  /**
   * Fills `into[0, length)` from `position`, a whole page, `into` being page-aligned: its whole pages
   * directly, the rest through the caller's descriptor. False when the caller must read it all itself
   * (less than a page, a position off a page, direct reads refused). Fails if the volume ends first.
   */
  async read(into: Buffer, length: number, position: number): Promise<boolean> {
    const pages = length - (length % DIRECT_ALIGN_BYTES);
    if (!this.usable || position % DIRECT_ALIGN_BYTES !== 0 || pages === 0 || !inAlignedMemory(into)) return false;
    if ((await this.unlessRefused(() => readExactly(this.direct, into, pages, position))) === null) return false;
    await readExactly(this.buffered, into.subarray(pages), length - pages, position + pages);
    return true;
  }

  /**
   * One read of up to `into.length` bytes at `position` (whole pages, `into` page-aligned), as read(2)
   * answers it: fewer at the end of the file, 0 past it. Null when the caller must read itself.
   */
  async readSome(into: Buffer, position: number): Promise<number | null> {
    if (!this.usable || into.length === 0 || !pageAligned(position, into.length) || !inAlignedMemory(into)) return null;
    return this.unlessRefused(async () => (await this.direct.read(into, 0, into.length, position)).bytesRead);
  }

  /** `read`'s result, or null once the kernel refused an alignment (EINVAL): no direct read after that. */
  private async unlessRefused<T>(read: () => Promise<T>): Promise<T | null> {
    try {
      return await read();
    } catch (e) {
      if (!isEinval(e)) throw e;
      this.usable = false;
      return null;
    }
  }

  /** Closes the direct descriptor (the caller's is the caller's). */
  async close(): Promise<void> {
    await this.direct.close();
  }
}
