import { IncrementalNotPossible } from './errors';

export interface Extent {
  readonly offsetBytes: number;
  readonly lengthBytes: number;
}

/** Cinder's refusals for an incremental, checked before any data is written. */
export const assertIncrementalPossible = (
  parent: { readonly blockSizeBytes: number; readonly sha256s: readonly string[] },
  blockSizeBytes: number,
  volumeBytes: number,
): void => {
  if (parent.blockSizeBytes !== blockSizeBytes)
    throw new IncrementalNotPossible(
      `Hash block size has changed since the last backup. New hash block size: ${blockSizeBytes}. ` +
        `Old hash block size: ${parent.blockSizeBytes}. Do a full backup.`,
    );
  if (Math.ceil(volumeBytes / blockSizeBytes) > parent.sha256s.length)
    throw new IncrementalNotPossible('Volume size increased since the last backup. Do a full backup.');
};

/**
 * Finds changed runs while a chunk's block hashes arrive in order, so a run can be written as soon as
 * it closes. A run ends at the first unchanged block or at the chunk's end, never crossing a chunk boundary.
 */
export class ChangedRunFinder {
  private readonly firstBlock: number;
  private readonly chunkEnd: number;
  private seen = 0;
  private runStart: number | null = null;

  constructor(
    private readonly chunk: {
      readonly offsetBytes: number;
      readonly lengthBytes: number;
      readonly blockSizeBytes: number;
      /** The parent's hashes for the whole volume. */
      readonly parent: readonly string[];
    },
  ) {
    this.firstBlock = chunk.offsetBytes / chunk.blockSizeBytes;
    this.chunkEnd = chunk.offsetBytes + chunk.lengthBytes;
  }

  /** The next block hashes of the chunk; returns the runs that closed. */
  push(hashes: readonly string[]): Extent[] {
    const closed: Extent[] = [];
    for (const hash of hashes) {
      const j = this.seen++;
      if (hash !== this.chunk.parent[this.firstBlock + j]) this.runStart ??= j;
      else this.close(j, closed);
    }
    return closed;
  }

  /** The run still open at the chunk's end, if any. */
  end(): Extent[] {
    const closed: Extent[] = [];
    this.close(this.seen, closed);
    return closed;
  }

  private close(endBlock: number, into: Extent[]): void {
    if (this.runStart === null) return;
    const { offsetBytes, blockSizeBytes } = this.chunk;
    const start = offsetBytes + this.runStart * blockSizeBytes;
    into.push({ offsetBytes: start, lengthBytes: Math.min(this.chunkEnd, offsetBytes + endBlock * blockSizeBytes) - start });
    this.runStart = null;
  }
}

/** The runs of blocks of one chunk whose hash differs from the parent's, as absolute extents. */
export const changedExtents = (chunk: {
  readonly offsetBytes: number;
  readonly lengthBytes: number;
  readonly blockSizeBytes: number;
  /** This chunk's block hashes, in order. */
  readonly current: readonly string[];
  /** The parent's hashes for the whole volume. */
  readonly parent: readonly string[];
}): Extent[] => {
  const finder = new ChangedRunFinder(chunk);
  return [...finder.push(chunk.current), ...finder.end()];
};
