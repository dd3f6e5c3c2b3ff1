import { CATALOG, type Catalog } from '@strata/catalog';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSwiftSaio } from '../support/swift-saio';
import { posixDriver, swiftDriver, type BackupDriverUnderTest } from './support/backup-drivers';
import { managedDirOf, startStrata, type RunningStrata } from './support/strata-app';
import { digestOf, imageOf, writeAt } from './support/volume-image';

const MiB = 1024 * 1024;
const POSIX = 'cinder.backup.drivers.posix.PosixBackupDriver';
const SWIFT = 'cinder.backup.drivers.swift.SwiftBackupDriver';

const restoreIntoNew = async (strata: RunningStrata, backupId: string): Promise<string> => {
  const res = await strata.client.post(`/v3/backups/${backupId}/restore`, { restore: null });
  expect(res.status).toBe(202);
  const target = res.body.restore.volume_id as string;
  const volume = (
    await strata.client.waitFor(
      `/v3/volumes/${target}`,
      (b: any) => b.volume.status !== 'restoring-backup' && b.volume.status !== 'creating',
    )
  ).volume;
  expect(volume.status).toBe('available');
  return digestOf(imageOf(strata, target));
};

const deleteBackup = async (strata: RunningStrata, backupId: string) => {
  expect((await strata.client.delete(`/v3/backups/${backupId}`)).status).toBe(202);
  await strata.client.waitFor('/v3/backups/detail', (b: any) => !b.backups.some((x: any) => x.id === backupId));
};

const serviceOf = (strata: RunningStrata, backupId: string) =>
  strata.app.get<Catalog>(CATALOG).getBackup(backupId, { projectId: '', allProjects: true })?.service;

const saio = startSwiftSaio();

(saio ? describe : describe.skip)('a backup stays with the repository that holds it when backup_driver changes', () => {
  const posix = posixDriver();
  let swift: BackupDriverUnderTest;
  let stateDir: string;
  let strata: RunningStrata | null = null;
  /** The Swift credentials stay configured whichever driver is the default, as in a deployment that switches. */
  const restart = async (driver: BackupDriverUnderTest) => {
    await strata?.close();
    strata = await startStrata({ ...swift.env(16 * MiB), ...driver.env(16 * MiB) }, stateDir);
    return strata;
  };
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'strata-e2e-switch-'));
    swift = swiftDriver(saio!);
  });
  afterEach(async () => {
    await strata?.close();
    strata = null;
    await swift.cleanup();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(managedDirOf(stateDir), { recursive: true, force: true });
  });

  it('restores, builds an incremental on and deletes a posix backup after the default became Swift', async () => {
    let s = await restart(posix);
    const volume = await s.client.createVolume(1, 'data');
    await writeAt(imageOf(s, volume.id), 0, randomBytes(20 * MiB));
    const fullDigest = await digestOf(imageOf(s, volume.id));
    const full = await s.client.createBackup(volume.id, { name: 'on-posix' });
    expect(full.status).toBe('available');

    s = await restart(swift);
    expect(serviceOf(s, full.id)).toBe(POSIX);
    await writeAt(imageOf(s, volume.id), 5 * MiB, randomBytes(MiB));
    const incrementalDigest = await digestOf(imageOf(s, volume.id));
    const incremental = await s.client.createBackup(volume.id, { name: 'on-swift', incremental: true });
    expect(incremental).toMatchObject({ status: 'available', is_incremental: true, container: 'volumebackups' });
    expect(serviceOf(s, incremental.id)).toBe(SWIFT);
    const names = await swift.objectsOf(s, incremental.id);
    expect(names.length).toBe(incremental.object_count + 2);
    for (const name of names)
      expect(name).toMatch(
        new RegExp(`^volumebackups/volume_${volume.id}/\\d{14}/az_nova_backup_${incremental.id}(-\\d{5}|_metadata|_sha256file)$`),
      );

    expect(await restoreIntoNew(s, full.id)).toBe(fullDigest);
    expect(await restoreIntoNew(s, incremental.id)).toBe(incrementalDigest); // its chain spans both repositories

    await deleteBackup(s, incremental.id);
    expect(await swift.objectsOf(s, incremental.id)).toEqual([]);
    await deleteBackup(s, full.id);
    expect(await posix.objectsOf(s, full.id)).toEqual([]);
  }, 240_000);

  it('restores and deletes a Swift backup after the default went back to posix', async () => {
    let s = await restart(swift);
    const volume = await s.client.createVolume(1, 'data');
    await writeAt(imageOf(s, volume.id), 3 * MiB, randomBytes(10 * MiB));
    const digest = await digestOf(imageOf(s, volume.id));
    const backup = await s.client.createBackup(volume.id, { name: 'on-swift' });
    expect(backup.status).toBe('available');
    expect(await swift.objectsOf(s, backup.id)).toHaveLength(backup.object_count + 2);

    s = await restart(posix);
    expect(serviceOf(s, backup.id)).toBe(SWIFT);
    expect(await restoreIntoNew(s, backup.id)).toBe(digest);
    await deleteBackup(s, backup.id);
    expect(await swift.objectsOf(s, backup.id)).toEqual([]);
  }, 240_000);
});
