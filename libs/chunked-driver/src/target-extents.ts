import { join } from 'node:path';
import type { Extent } from './changed-extents';
import { chunkedDriverAddonPaths, loadNativeAddon } from './native-addon';

/** lseek(2)'s SEEK_DATA and SEEK_HOLE (libs/chunked-driver/native-extents); -1 where the call says ENXIO. */
export interface ExtentsAddon {
  seekData(fd: number, offset: number): number;
  seekHole(fd: number, offset: number): number;
}

const ADDON_PATHS = chunkedDriverAddonPaths(join('native-extents', 'build', 'Release', 'strata_extents.node'));

let loaded: ExtentsAddon | null | undefined;
/** The add-on, loaded on first use, or null where it was not built (scripts/build-native.sh builds it). */
export const extentsAddon = (): ExtentsAddon | null =>
  (loaded ??= loadNativeAddon<ExtentsAddon>(
    ADDON_PATHS,
    (addon) => typeof addon.seekData === 'function' && typeof addon.seekHole === 'function',
  ));

/** Past this many stretches of data the map is not worth keeping: the restore reads the target instead. */
const MAX_EXTENTS = 65536;

/**
 * The stretches of `[0, sizeBytes)` of an open file that hold data, as its file system reports them; a
 * byte outside them reads as zero. Null when that is unknown: no add-on, a file system or device that
 * cannot tell (EINVAL), or a file too fragmented. A block device or a file system without holes reports
 * one stretch of data, the whole of it. Taken before a restore writes anything: the calls then never wait
 * behind its writes, and what the restore writes afterwards is its own to track.
 */
export const dataExtentsOf = (fd: number, sizeBytes: number, addon: ExtentsAddon | null = extentsAddon()): Extent[] | null => {
  if (!addon) return null;
  const extents: Extent[] = [];
  try {
    for (let at = 0; at < sizeBytes;) {
      const start = addon.seekData(fd, at);
      if (start < 0 || start >= sizeBytes) break;
      const hole = addon.seekHole(fd, start);
      const end = hole < 0 ? sizeBytes : Math.min(hole, sizeBytes);
      if (end <= start || extents.length === MAX_EXTENTS) return null;
      extents.push({ offsetBytes: start, lengthBytes: end - start });
      at = end;
    }
  } catch {
    return null;
  }
  return extents;
};

/** Whether any of `extents` (sorted, disjoint) overlaps `[offset, offset + length)`. */
export const overlapsAny = (extents: readonly Extent[], offset: number, length: number): boolean => {
  let lo = 0;
  let hi = extents.length;
  // The first extent that ends after `offset`.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const e = extents[mid] as Extent;
    if (e.offsetBytes + e.lengthBytes <= offset) lo = mid + 1;
    else hi = mid;
  }
  const first = extents[lo];
  return first !== undefined && first.offsetBytes < offset + length;
};
