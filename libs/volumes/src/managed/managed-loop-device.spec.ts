/**
 * Managing a real block device. Loop devices need root and a kernel that offers them; where they
 * are missing (most containers) these tests are skipped, and the skip names the reason.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidManagedVolume } from '../errors';
import { FileVolumeProvider } from '../file/file-volume.provider';
import {
  MIB,
  allocatedBytes,
  makeSparseImage,
  makeTempDir,
  pattern,
  readAt,
  removeTempDir,
  sameBytes,
  writeAt,
} from '../testing/image-fixtures';
import { sizeGbOf } from '../volume-size';

const IMAGE_BYTES = 16 * MIB;
const DATA_OFFSETS = [0, 5 * MIB, IMAGE_BYTES - 4096];

/** Runs losetup synchronously so the availability is known before the tests are declared. */
const losetup = (...args: string[]): { device?: string; why?: string } => {
  const run = spawnSync('losetup', args, { encoding: 'utf8' });
  if (run.error) return { why: `losetup cannot run: ${run.error.message}` };
  if (run.status !== 0) return { why: `losetup ${args.join(' ')} failed: ${run.stderr.trim()}` };
  return { device: run.stdout.trim() };
};

/** Attach and detach a scratch image once; cleaned up here because Jest skips hooks of skipped tests. */
const probeLoop = (): { device?: string; why?: string } => {
  const probeDir = mkdtempSync(join(tmpdir(), 'strata-volumes-probe-'));
  try {
    const probeImage = join(probeDir, 'probe.img');
    spawnSync('truncate', ['-s', '1M', probeImage]);
    const result = losetup('-f', '--show', probeImage);
    if (result.device) losetup('-d', result.device);
    return result;
  } finally {
    rmSync(probeDir, { recursive: true, force: true });
  }
};

const probe = probeLoop();
const canLoop = probe.device !== undefined;
const skipReason = canLoop ? '' : ` [skipped: ${probe.why}]`;
if (!canLoop) console.warn(`managed loop device specs skipped: ${probe.why}`);
const itIfLoop = canLoop ? it : it.skip;

describe('managing a loop device', () => {
  const attached: string[] = [];
  const attach = (image: string, ...flags: string[]): string => {
    const { device, why } = losetup(...flags, '-f', '--show', image);
    if (!device) throw new Error(why);
    attached.push(device);
    return device;
  };
  let workDir: string;
  let provider: FileVolumeProvider;
  let image: string;
  let device: string;

  beforeAll(async () => {
    workDir = await makeTempDir('loop');
    provider = new FileVolumeProvider(join(workDir, 'volumes'));
    if (!canLoop) return;
    image = join(workDir, 'backing.img');
    await makeSparseImage(image, IMAGE_BYTES, DATA_OFFSETS);
    device = attach(image);
  });

  // Always detach, even after a failure: a leaked loop device outlives the test run.
  afterAll(async () => {
    for (const dev of attached) losetup('-d', dev);
    if (workDir) await removeTempDir(workDir);
  });

  itIfLoop(`reads the device's size from sysfs, not from stat${skipReason}`, async () => {
    expect(statSync(device).size).toBe(0);

    const location = await provider.inspectManagedVolume(device);

    expect(location).toEqual({ kind: 'block', path: device, sizeBytes: IMAGE_BYTES, owned: false });
    expect(sizeGbOf(location.sizeBytes)).toBe(1);
  });

  itIfLoop(`snapshots the device into a sparse file with the same bytes${skipReason}`, async () => {
    const location = await provider.inspectManagedVolume(device);

    const snapshot = await provider.createSnapshot(location, 'loop-snap');

    expect(snapshot).toMatchObject({ kind: 'file', sizeBytes: IMAGE_BYTES, owned: true });
    expect(await sameBytes(snapshot.path, device)).toBe(true);
    expect(await allocatedBytes(snapshot.path)).toBeLessThan(IMAGE_BYTES / 2);

    await writeAt(device, 5 * MIB, pattern(42 * 4096));
    expect(await readAt(snapshot.path, 5 * MIB)).toEqual(pattern(5 * MIB));
    await provider.deleteSnapshot(snapshot);
  });

  itIfLoop(`only forgets the device when the volume is deleted${skipReason}`, async () => {
    const location = await provider.inspectManagedVolume(device);
    const before = await readAt(device, 0);

    await provider.deleteVolume(location);

    expect(statSync(device).isBlockDevice()).toBe(true);
    expect(await readAt(device, 0)).toEqual(before);
  });

  itIfLoop(`takes the device when a glob of managed_volume_paths matches it${skipReason}`, async () => {
    const managedPaths = { managedVolumePaths: ['/dev/loop*'], ownPaths: [] };
    const governed = new FileVolumeProvider(join(workDir, 'volumes'), { managedPaths });

    await expect(governed.inspectManagedVolume(device)).resolves.toEqual({
      kind: 'block',
      path: device,
      sizeBytes: IMAGE_BYTES,
      owned: false,
    });
  });

  itIfLoop(`refuses the device when no glob of managed_volume_paths matches it${skipReason}`, async () => {
    const managedPaths = { managedVolumePaths: ['/dev/sd*', workDir], ownPaths: [] };
    const governed = new FileVolumeProvider(join(workDir, 'volumes'), { managedPaths });

    await expect(governed.inspectManagedVolume(device)).rejects.toThrow(
      new InvalidManagedVolume(device, `is outside managed_volume_paths (/dev/sd*, ${workDir})`),
    );
  });

  itIfLoop(`refuses a read-only device, saying it cannot be written${skipReason}`, async () => {
    const readOnly = attach(image, '--read-only');

    const inspecting = provider.inspectManagedVolume(readOnly);

    await expect(inspecting).rejects.toThrow(InvalidManagedVolume);
    await expect(inspecting).rejects.toThrow(`Invalid managed volume ${readOnly}: is not readable and writable`);
  });
});
