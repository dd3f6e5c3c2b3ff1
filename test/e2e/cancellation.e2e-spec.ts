import { CATALOG, type Catalog } from '@strata/catalog';
import { backupDrivers } from './support/backup-drivers';
import { startStrata, type RunningStrata } from './support/strata-app';

describe.each(backupDrivers())('stopping running work ($name)', (driver) => {
  let strata: RunningStrata;
  beforeAll(async () => {
    // Small objects, so that a 2 GiB volume is many chunks and the job is noticed between two of them.
    strata = await startStrata(driver.env(8 * 1024 * 1024));
  });
  afterAll(async () => {
    await strata?.close();
    await driver.cleanup();
  });
  const client = () => strata.client;
  const eventTypes = (backupId: string) =>
    strata.app
      .get<Catalog>(CATALOG)
      .eventsOfEntity('backup', backupId)
      .map((e) => e.type);

  it('force-deletes a running backup: it stops, its objects are removed and the volume is released', async () => {
    const volume = await client().createVolume(2, 'big');
    const backup = await client().createBackup(volume.id, {}, null);
    await client().waitFor(`/v3/backups/${backup.id}`, (b: any) => b.backup.container !== null);
    expect((await client().post(`/v3/backups/${backup.id}/action`, { 'os-force_delete': {} })).status).toBe(202);
    await client().waitFor('/v3/backups/detail', (b: any) => !b.backups.some((x: any) => x.id === backup.id));
    await client().waitFor(`/v3/volumes/${volume.id}`, (b: any) => b.volume.status === 'available');
    expect(await driver.objectsOf(strata, backup.id)).toEqual([]);
    expect(eventTypes(backup.id)).toEqual(expect.arrayContaining(['BackupDeletionRequested', 'BackupCancelled', 'BackupDeleted']));
    expect(eventTypes(backup.id)).not.toContain('BackupCompleted');
    // The backup job stopped by the deletion and the deletion job behind it both end the run: once between them.
    expect(eventTypes(backup.id).filter((t) => t === 'BackupCancelled')).toHaveLength(1);
  }, 240_000);

  it('cancels a running restore when an admin resets the backup to error: the volume ends in error, the backup available', async () => {
    const source = await client().createVolume(2, 'source');
    const backup = await client().createBackup(source.id);
    expect(backup.status).toBe('available');
    const target = await client().createVolume(2, 'target');
    expect((await client().post(`/v3/backups/${backup.id}/restore`, { restore: { volume_id: target.id } })).status).toBe(202);
    expect((await client().post(`/v3/backups/${backup.id}/action`, { 'os-reset_status': { status: 'error' } })).status).toBe(202);
    const volume = (await client().waitFor(`/v3/volumes/${target.id}`, (b: any) => b.volume.status !== 'restoring-backup')).volume;
    expect(volume.status).toBe('error');
    expect((await client().get(`/v3/backups/${backup.id}`)).body.backup.status).toBe('available');
    // RestoreProgressed is advisory: the restore may record one before the reset lands.
    expect(
      eventTypes(backup.id)
        .filter((t) => t !== 'RestoreProgressed')
        .slice(-3),
    ).toEqual(['RestoreRequested', 'BackupStatusReset', 'RestoreCancelled']);
  }, 240_000);
});
