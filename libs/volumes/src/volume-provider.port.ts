import type { VolumeLocation } from './volume-location';

/** How a copy into a new volume runs: resumed from a durable offset, stopped by a signal, checkpointed. */
export interface VolumeCopyOptions {
  readonly fromBytes?: number;
  readonly signal?: AbortSignal;
  readonly checkpointEveryBytes?: number;
  readonly onCheckpoint?: (bytesDone: number) => Promise<void> | void;
}

/**
 * Creates and removes the bytes behind volumes and snapshots. The worker calls it around backups
 * and restores; the domain never sees it. Every method is safe to repeat, because jobs are
 * delivered at least once.
 */
export interface VolumeProvider {
  /** A new, zero-filled volume of `sizeGb` GiB; returns the existing one if already created at that size. */
  createVolume(volumeId: string, sizeGb: number): Promise<VolumeLocation>;
  /** Grows an owned volume to `sizeGb` GiB, sparsely; a volume already that size is left as it is. */
  extendVolume(location: VolumeLocation, sizeGb: number): Promise<VolumeLocation>;
  /** Removes an owned volume (missing is success); a managed (not owned) volume is only forgotten. */
  deleteVolume(location: VolumeLocation): Promise<void>;
  /** A point-in-time copy of `volume`, independent of later writes to it. */
  createSnapshot(volume: VolumeLocation, snapshotId: string): Promise<VolumeLocation>;
  /** Removes a snapshot this provider created (missing is success). */
  deleteSnapshot(location: VolumeLocation): Promise<void>;
  /**
   * A new volume of `sizeGb` GiB holding `source`'s bytes (a snapshot or a volume; the rest reads as
   * zeros), copied sparsely into an unfinished image that a repeat resumes at `fromBytes` and that is
   * published under the volume's name only when complete. An image already published is returned as it is.
   */
  copyIntoVolume(volumeId: string, sizeGb: number, source: VolumeLocation, options?: VolumeCopyOptions): Promise<VolumeLocation>;
  /** Removes what was made for a volume deleted before it recorded its image: a copy's unfinished image, or the image itself (missing is success). */
  discardVolumeCopy(volumeId: string): Promise<void>;
  /** Validates an existing file or block device for Cinder's manage API; the result is not owned. */
  inspectManagedVolume(path: string): Promise<VolumeLocation>;
}
