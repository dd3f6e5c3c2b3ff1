import type { FileHandle } from 'node:fs/promises';

/** Start writing back after every this many bytes written. */
export const WRITEBACK_EVERY_BYTES = 32 << 20;

/**
 * Keeps a file's dirty pages on their way to the disk while it is being written: one `fdatasync` at a
 * time, started once `everyBytes` more were written, never waited for by the writer. The kernel starts
 * writing back on its own only when dirty pages reach a share of memory (gigabytes on a large host), so
 * without this a restore's whole volume reached the disk in its final fsync, after the decompression and
 * hashing instead of beside them. A failed `fdatasync` is kept and thrown by `settle()`: on Linux the
 * error is reported once per file description, so the final fsync would not see it again.
 */
export class BackgroundWriteback {
  private unsynced = 0;
  private inFlight: Promise<void> | null = null;
  private failure: unknown = null;

  constructor(
    private readonly handle: FileHandle,
    private readonly everyBytes = WRITEBACK_EVERY_BYTES,
  ) {}

  /** `bytes` more were written through the handle. */
  wrote(bytes: number): void {
    this.unsynced += bytes;
    if (this.inFlight === null && this.unsynced >= this.everyBytes) this.start();
  }

  /**
   * As `wrote`, but when one is due while another runs, waits for it and starts the next: the writer then
   * goes at the disk's pace, with at most `everyBytes` and one writeback's worth dirty (a backup's object).
   * A writeback that failed fails the next call.
   */
  async wrotePaced(bytes: number): Promise<void> {
    this.unsynced += bytes;
    if (this.unsynced < this.everyBytes) return;
    await this.inFlight;
    if (this.failure !== null) throw this.failure;
    this.start();
  }

  private start(): void {
    this.unsynced = 0;
    this.inFlight = this.handle.datasync().then(
      () => {
        this.inFlight = null;
      },
      (e: unknown) => {
        this.failure ??= e;
        this.inFlight = null;
      },
    );
  }

  /** Waits for the writeback in flight; throws the first that failed. */
  async settle(): Promise<void> {
    await this.inFlight;
    if (this.failure !== null) throw this.failure;
  }
}
