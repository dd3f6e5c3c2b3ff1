import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

export interface BackgroundFlush {
  /** Stops, once the flush in flight (if any) is over. */
  stop(): Promise<void>;
}

/**
 * Keeps the files of a catalog being built (`path` and its WAL) on their way to the disk while the build
 * writes them: an `fdatasync` of each every `everyMs`, one at a time, on the I/O pool, never waited for by
 * the build. The build writes without syncing (`openCatalogForRebuild`), and the kernel writes back on its
 * own only after half a minute or when dirty pages reach a share of memory: a million events' build left
 * most of its 740 MiB to the seal's fsync, 0.5–0.6 s of its end (2026-12-07). Failures are not this
 * flusher's to report: Linux reports a write-back error to every open description of the file, and the
 * seal's fsync, on SQLite's own, sees it.
 */
export const flushInBackground = async (path: string, everyMs = 1000): Promise<BackgroundFlush> => {
  const files: FileHandle[] = [];
  for (const file of [path, `${path}-wal`]) {
    try {
      files.push(await fsp.open(file, 'r'));
    } catch {
      // Not there (yet, or not in WAL mode): nothing of it to flush.
    }
  }
  let inFlight: Promise<unknown> | null = null;
  const flush = (): void => {
    if (inFlight) return;
    inFlight = Promise.all(files.map((f) => f.datasync().catch(() => undefined))).finally(() => {
      inFlight = null;
    });
  };
  const timer = setInterval(flush, everyMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await inFlight;
      await Promise.all(files.map((f) => f.close()));
    },
  };
};
