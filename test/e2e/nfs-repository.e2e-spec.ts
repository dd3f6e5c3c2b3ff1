import { mountedPaths, shareMountPoint, unmountShare } from '@strata/chunked-driver';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStrata, type RunningStrata } from './support/strata-app';

const MiB = 1024 * 1024;
const NFS = 'cinder.backup.drivers.nfs.NFSBackupDriver';
const imageOf = (strata: RunningStrata, volumeId: string) => join(strata.options.volumes_path, `volume-${volumeId}.img`);

const digestOf = async (path: string) => {
  const hash = createHash('sha256');
  for await (const piece of createReadStream(path, { highWaterMark: 4 * MiB })) hash.update(piece as Buffer);
  return hash.digest('hex');
};

const filesUnder = (root: string): string[] =>
  readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

const mountCount = (mountPoint: string) =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => l.split(' ')[4] === mountPoint).length;

/**
 * This kernel cannot mount NFS, so an ext4 image on a loop device stands in for the share: the same
 * code path (backup_share, backup_mount_options, backup_mount_point_base/<md5>, attempts, mountinfo)
 * with `mount -t ext4 -o loop IMAGE` instead of `mount -t nfs -o OPTIONS HOST:EXPORT`.
 */
const canMount = process.getuid?.() === 0;
if (!canMount) console.warn('SKIPPING the NFS repository suite: mounting needs root');

(canMount ? describe : describe.skip)('backup_driver = nfs: the posix layout on a share Strata mounts', () => {
  let dir: string;
  let image: string;
  let base: string;
  let strata: RunningStrata | null = null;
  const env = (share: string, attempts = 3) => ({
    STRATA_BACKUP_DRIVER: NFS,
    STRATA_BACKUP_SHARE: share,
    STRATA_BACKUP_MOUNT_OPTIONS: 'loop',
    STRATA_BACKUP_MOUNT_FSTYPE: 'ext4',
    STRATA_BACKUP_MOUNT_POINT_BASE: base,
    STRATA_BACKUP_MOUNT_ATTEMPTS: String(attempts),
    STRATA_BACKUP_FILE_SIZE: String(8 * MiB),
  });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-e2e-nfs-'));
    image = join(dir, 'share.ext4');
    base = join(dir, 'mnt');
    writeFileSync(image, '');
    truncateSync(image, 64 * MiB);
    execFileSync('mkfs.ext4', ['-q', '-F', image]);
  });
  afterEach(async () => {
    await strata?.close();
    strata = null;
  });
  afterAll(async () => {
    await unmountShare(shareMountPoint(base, image));
    rmSync(dir, { recursive: true, force: true });
  });

  it('mounts backup_share under backup_mount_point_base/<md5 of the share>, backs up into it and restores from it', async () => {
    strata = await startStrata(env(image), join(dir, 'state'));
    const mountPoint = join(base, createHash('md5').update(image).digest('hex'));
    const volume = await strata.client.createVolume(1, 'data');
    const handle = await open(imageOf(strata, volume.id), 'r+');
    await handle.write(randomBytes(3 * MiB), 0, 3 * MiB, 100 * MiB);
    await handle.close();
    const digest = await digestOf(imageOf(strata, volume.id));

    const backup = await strata.client.createBackup(volume.id);
    expect(backup).toMatchObject({ status: 'available', fail_reason: null });
    expect((await mountedPaths()).has(mountPoint)).toBe(true);
    expect(filesUnder(join(mountPoint, backup.container)).filter((f) => f.includes(backup.id))).toHaveLength(backup.object_count + 2);

    const restore = await strata.client.post(`/v3/backups/${backup.id}/restore`, { restore: null });
    const target = restore.body.restore.volume_id;
    await strata.client.waitFor(`/v3/volumes/${target}`, (b: any) => b.volume.status === 'available');
    expect(await digestOf(imageOf(strata, target))).toBe(digest);
  }, 240_000);

  it('uses the share already mounted there instead of mounting it again', async () => {
    const mountPoint = shareMountPoint(base, image);
    strata = await startStrata(env(image), join(dir, 'state'));
    const volume = await strata.client.createVolume(1, 'again');
    const backup = await strata.client.createBackup(volume.id);
    expect(backup.status).toBe('available');
    expect(mountCount(mountPoint)).toBe(1);
    expect((await strata.client.delete(`/v3/backups/${backup.id}`)).status).toBe(202);
    await strata.client.waitFor('/v3/backups/detail', (b: any) => !b.backups.some((x: any) => x.id === backup.id));
    expect(filesUnder(mountPoint).filter((f) => f.includes(backup.id))).toEqual([]);
  }, 240_000);

  it('fails the backup, naming the share, when the share cannot be mounted', async () => {
    const missing = join(dir, 'no-such-share.ext4');
    strata = await startStrata(env(missing, 2), join(dir, 'state-missing'));
    const volume = await strata.client.createVolume(1, 'unmountable');
    const backup = await strata.client.createBackup(volume.id);
    expect(backup.status).toBe('error');
    expect(backup.fail_reason).toMatch(
      new RegExp(`^Mounting backup_share ${missing} at ${shareMountPoint(base, missing)} failed after 2 attempt\\(s\\): .+`),
    );
    expect((await mountedPaths()).has(shareMountPoint(base, missing))).toBe(false);
  }, 120_000);
});
