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
        `Old hash block size: ${parent.blockSizeBytes}. Do a full backup.`);
  if (Math.ceil(volumeBytes / blockSizeBytes) > parent.sha256s.length)
    throw new IncrementalNotPossible('Volume size increased since the last backup. Do a full backup.');
};

/**
 * The runs of blocks of one chunk whose hash differs from the parent's, as absolute extents.
 * A run ends at the first unchanged block or at the chunk's end, so it never crosses a chunk boundary.
 */
export const changedExtents = (chunk: {
  readonly offsetBytes: number;
  readonly lengthBytes: number;
  readonly blockSizeBytes: number;
  /** This chunk's block hashes, in order. */
  readonly current: readonly string[];
  /** The parent's hashes for the whole volume. */
  readonly parent: readonly string[];
}): Extent[] => {
  const { offsetBytes, lengthBytes, blockSizeBytes, current, parent } = chunk;
  const firstBlock = offsetBytes / blockSizeBytes;
  const chunkEnd = offsetBytes + lengthBytes;
  const extents: Extent[] = [];
  let runStart: number | null = null;
  const close = (endBlock: number): void => {
    if (runStart === null) return;
    const start = offsetBytes + runStart * blockSizeBytes;
    extents.push({ offsetBytes: start, lengthBytes: Math.min(chunkEnd, offsetBytes + endBlock * blockSizeBytes) - start });
    runStart = null;
  };
  current.forEach((hash, j) => {
    if (hash !== parent[firstBlock + j]) runStart ??= j;
    else close(j);
  });
  close(current.length);
  return extents;
};
