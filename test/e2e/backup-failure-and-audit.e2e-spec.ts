import { CATALOG, type Catalog } from '@strata/catalog';
import { unlinkSync } from 'node:fs';
import { manageFile } from './support/managed-file';
import { startStrata, type RunningStrata } from './support/strata-app';

describe('a backup that fails, and what the log records', () => {
  let strata: RunningStrata;
  beforeAll(async () => {
    strata = await startStrata();
  });
  afterAll(async () => strata?.close());

  it('records BackupFailed with a fail reason and gives the volume its status back', async () => {
    const { volume, path } = await manageFile(strata.client, strata.managedDir, 1, 'vanishing');
    unlinkSync(path);
    const backup = await strata.client.createBackup(volume.id, {}, 'error');
    expect(backup.status).toBe('error');
    expect(backup.fail_reason).toContain(path);
    expect((await strata.client.get(`/v3/volumes/${volume.id}`)).body.volume.status).toBe('available');
    // A failed backup can be deleted.
    expect((await strata.client.delete(`/v3/backups/${backup.id}`)).status).toBe(202);
  });

  it('stamps every event with who asked, in which project, and from which request', async () => {
    const client = strata.client.as({ 'X-Auth-Token': 'auditor:project-z' });
    const requestId = 'req-0a1b2c3d-4e5f-4a6b-8c7d-9e8f7a6b5c4d';
    const { volume } = await manageFile(strata.client.as({ 'X-Auth-Token': 'auditor:project-z' }), strata.managedDir, 1, 'audited');
    const res = await client.post(
      '/v3/project-z/backups',
      { backup: { volume_id: volume.id, name: 'audited' } },
      { 'X-OpenStack-Request-ID': requestId },
    );
    expect(res.status).toBe(202);
    expect(res.body.backup.links[0].href).toBe(`${strata.baseUrl}/v3/project-z/backups/${res.body.backup.id}`);
    await client.waitFor(`/v3/project-z/backups/${res.body.backup.id}`, (b: any) => b.backup.status === 'available');
    const events = (await client.get(`/strata/v1/backups/${res.body.backup.id}/events`)).body.events as any[];
    expect(events.map((e) => e.type)).toEqual(['BackupRequested', 'BackupStarted', 'ChunkWritten', 'BackupCompleted']);
    const [requested, ...byWorker] = events;
    expect(requested).toMatchObject({ user_id: 'auditor', project_id: 'project-z', correlation_id: requestId });
    expect(requested.request_id).toMatch(/^req-/);
    for (const e of byWorker) expect(e).toMatchObject({ user_id: 'auditor', project_id: 'project-z', correlation_id: requestId });
    // The catalog keeps where each event is; who asked is read from the log with the event's data.
    expect(strata.app.get<Catalog>(CATALOG).eventsOfEntity('backup', res.body.backup.id)[0]).not.toHaveProperty('userId');
  });
});
