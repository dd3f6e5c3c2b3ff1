import { chmod, mkdir, open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { sparseCopy } from '../copy/sparse-copy';
import { streamingCopy } from '../copy/streaming-copy';
import { ForeignVolumeLocation, InvalidVolumeSize, VolumeAlreadyExists, VolumeCopyFailed, VolumeNotExtendable } from '../errors';
import { inspectManagedVolume } from '../managed/inspect-managed-volume';
import type { ManagedPathPolicy } from '../managed/managed-path-policy';
import type { VolumeLocation } from '../volume-location';
import type { VolumeCopyOptions, VolumeProvider } from '../volume-provider.port';
import { bytesOfGb } from '../volume-size';
import { copyPath, imagePath, isOwnImage, partialPath, type ImageRole } from './image-names';
import { publishWithoutReplacing, removeIfPresent, statIfPresent, syncFile } from './publish-file';

/** Images hold volume data: owner and group (the service's group) only, like Cinder's. */
const IMAGE_MODE = 0o660;
const DIRECTORY_MODE = 0o750;

export interface FileVolumeProviderOptions {
  /** What the manage API may adopt (`managed_volume_paths`, Strata's own state); anything, without it. */
  readonly managedPaths?: ManagedPathPolicy;
  /** Only for tests that fake the kernel's block device table. */
  readonly sysfsRoot?: string;
}

/**
 * Volumes as sparse image files in one directory (`<state_path>/volumes`), snapshots as reflink
 * or sparse copies beside them, and managed files or block devices left where they are.
 */
export class FileVolumeProvider implements VolumeProvider {
  private readonly dir: string;

  constructor(
    directory: string,
    private readonly options: FileVolumeProviderOptions = {},
  ) {
    this.dir = resolve(directory);
  }

  async createVolume(volumeId: string, sizeGb: number): Promise<VolumeLocation> {
    const path = imagePath(this.dir, 'volume', volumeId);
    if (!Number.isInteger(sizeGb) || sizeGb < 1) throw new InvalidVolumeSize(volumeId, sizeGb);
    const sizeBytes = bytesOfGb(sizeGb);
    const existing = await this.existingImage(path, sizeBytes);
    if (existing) return existing;

    await mkdir(this.dir, { recursive: true, mode: DIRECTORY_MODE });
    const partial = partialPath(path);
    try {
      const handle = await open(partial, 'wx', IMAGE_MODE);
      try {
        // ftruncate allocates nothing: every block is a hole that reads as zeros.
        await handle.truncate(sizeBytes);
        await handle.chmod(IMAGE_MODE); // open's mode was narrowed by the umask
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (err) {
      await removeIfPresent(partial);
      throw err;
    }
    if (!(await publishWithoutReplacing(partial, path))) return this.mustExist(path, sizeBytes);
    return ownedFile(path, sizeBytes);
  }

  /**
   * ftruncate to the new size: the added bytes are a hole that reads as zeros and takes no space. Only
   * this provider's own images: a managed file or device belongs to the operator. A repeat after a crash
   * finds the image at its new size and changes nothing; one larger than asked is never shrunk.
   */
  async extendVolume(location: VolumeLocation, sizeGb: number): Promise<VolumeLocation> {
    if (!location.owned || location.kind !== 'file' || !isOwnImage(this.dir, 'volume', location.path))
      throw new VolumeNotExtendable(location.path, `it is not a volume image in ${this.dir}`);
    if (!Number.isInteger(sizeGb) || sizeGb < 1) throw new InvalidVolumeSize(location.path, sizeGb);
    const sizeBytes = bytesOfGb(sizeGb);
    const handle = await open(location.path, 'r+');
    try {
      const { size } = await handle.stat();
      if (size > sizeBytes) throw new VolumeNotExtendable(location.path, `it holds ${size} bytes, more than the ${sizeBytes} asked for`);
      if (size < sizeBytes) {
        await handle.truncate(sizeBytes);
        await handle.sync();
      }
    } finally {
      await handle.close();
    }
    return ownedFile(location.path, sizeBytes);
  }

  async deleteVolume(location: VolumeLocation): Promise<void> {
    await this.deleteImage('volume', location);
  }

  async createSnapshot(volume: VolumeLocation, snapshotId: string): Promise<VolumeLocation> {
    const path = imagePath(this.dir, 'snapshot', snapshotId);
    // Images are published only once complete, so an existing one is a finished earlier attempt.
    const existing = await this.existingImage(path, volume.sizeBytes);
    if (existing) return existing;

    await mkdir(this.dir, { recursive: true, mode: DIRECTORY_MODE });
    const partial = partialPath(path);
    try {
      await sparseCopy(volume.path, partial);
      await chmod(partial, IMAGE_MODE);
      await syncFile(partial);
      const copied = await statIfPresent(partial);
      if (copied?.size !== volume.sizeBytes)
        throw new VolumeCopyFailed(volume.path, path, `copied ${copied?.size ?? 0} bytes, expected ${volume.sizeBytes}`);
    } catch (err) {
      await removeIfPresent(partial);
      throw err;
    }
    if (!(await publishWithoutReplacing(partial, path))) return this.mustExist(path, volume.sizeBytes);
    return ownedFile(path, volume.sizeBytes);
  }

  async deleteSnapshot(location: VolumeLocation): Promise<void> {
    await this.deleteImage('snapshot', location);
  }

  async copyIntoVolume(volumeId: string, sizeGb: number, source: VolumeLocation, options: VolumeCopyOptions = {}): Promise<VolumeLocation> {
    const path = imagePath(this.dir, 'volume', volumeId);
    if (!Number.isInteger(sizeGb) || sizeGb < 1) throw new InvalidVolumeSize(volumeId, sizeGb);
    const sizeBytes = bytesOfGb(sizeGb);
    if (sizeBytes < source.sizeBytes)
      throw new VolumeCopyFailed(source.path, path, `the source holds ${source.sizeBytes} bytes, more than the ${sizeBytes} of the volume`);
    const existing = await this.existingImage(path, sizeBytes);
    if (existing) return existing;

    await mkdir(this.dir, { recursive: true, mode: DIRECTORY_MODE });
    // One unfinished image per volume, under a fixed name, so a resumed copy finds what the last run made durable.
    const partial = copyPath(path);
    const fromBytes = (await statIfPresent(partial)) ? (options.fromBytes ?? 0) : 0;
    const handle = await open(partial, fromBytes > 0 ? 'r+' : 'w', IMAGE_MODE);
    try {
      // Whatever a crashed run wrote past its last checkpoint is dropped (truncated away, then a hole again),
      // so a piece of zeros skipped now reads as zeros; a larger volume than its source is extended the same way.
      await handle.truncate(fromBytes);
      await handle.truncate(sizeBytes);
      await handle.chmod(IMAGE_MODE);
      await streamingCopy({ sourcePath: source.path, sourceBytes: source.sizeBytes, target: handle, ...options, fromBytes });
    } finally {
      await handle.close();
    }
    if (!(await publishWithoutReplacing(partial, path))) return this.mustExist(path, sizeBytes);
    return ownedFile(path, sizeBytes);
  }

  /** Also an image the copy published just before its worker stopped, which the volume never recorded as its own. */
  async discardVolumeCopy(volumeId: string): Promise<void> {
    const path = imagePath(this.dir, 'volume', volumeId);
    await removeIfPresent(copyPath(path));
    await removeIfPresent(path);
  }

  inspectManagedVolume(path: string): Promise<VolumeLocation> {
    const { managedPaths, sysfsRoot } = this.options;
    return inspectManagedVolume(path, { ownDirectory: this.dir, managedPaths, sysfsRoot });
  }

  /**
   * A location that is not owned (a managed device or file) is only forgotten: its bytes belong to
   * the operator. An owned location must name one of this provider's own images, so a corrupted
   * or forged record can never make Strata unlink an arbitrary path.
   */
  private async deleteImage(role: ImageRole, location: VolumeLocation): Promise<void> {
    if (!location.owned) return;
    if (location.kind !== 'file' || !isOwnImage(this.dir, role, location.path))
      throw new ForeignVolumeLocation(location.path, `it is not a ${role} image in ${this.dir}`);
    await removeIfPresent(location.path);
  }

  private async existingImage(path: string, sizeBytes: number): Promise<VolumeLocation | undefined> {
    const st = await statIfPresent(path);
    if (!st) return undefined;
    if (st.size !== sizeBytes) throw new VolumeAlreadyExists(path, sizeBytes, st.size);
    return ownedFile(path, sizeBytes);
  }

  /** After losing a publish race, the winner's image must be there and the right size. */
  private async mustExist(path: string, sizeBytes: number): Promise<VolumeLocation> {
    const existing = await this.existingImage(path, sizeBytes);
    if (!existing) throw new VolumeAlreadyExists(path, sizeBytes, 0);
    return existing;
  }
}

const ownedFile = (path: string, sizeBytes: number): VolumeLocation => ({
  kind: 'file',
  path,
  sizeBytes,
  owned: true,
});
