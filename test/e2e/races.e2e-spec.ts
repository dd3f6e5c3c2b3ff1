import { CATALOG, type Catalog } from '@strata/catalog';
import { restartableStrata, startStrata, type RunningStrata } from './support/strata-app';

const eventTypesOf = (strata: RunningStrata, kind: 'backup' | 'volume', id: string) =>
  strata.app
    .get<Catalog>(CATALOG)
    .eventsOfEntity(kind, id)
    .map((e) => e.type);

describe('racing requests', () => {
  let strata: RunningStrata;
  beforeAll(async () => {
    strata = await startStrata();
  });
  afterAll(async () => strata?.close());
  const client = () => strata.client;

  it('lets exactly one of two simultaneous backups of a volume in; the other gets 400 and leaves no lock behind', async () => {
    for (let round = 0; round < 3; round++) {
      const volume = await client().createVolume(1, `race-${round}`);
      const answers = await Promise.all([0, 1].map(() => client().post('/v3/backups', { backup: { volume_id: volume.id } })));

      expect(answers.map((a) => a.status).sort()).toEqual([202, 400]);
      const loser = answers.find((a) => a.status === 400)!;
      expect(loser.body).toEqual({
        badRequest: {
          code: 400,
          message: 'Invalid volume: Volume to be backed up must be available or in-use, but the current status is "backing-up".',
        },
      });
      const winner = answers.find((a) => a.status === 202)!.body.backup;
      await client().waitFor(`/v3/backups/${winner.id}`, (b: any) => b.backup.status === 'available');
      expect((await client().get(`/v3/volumes/${volume.id}`)).body.volume.status).toBe('available');
      const backups = (await client().get(`/v3/backups/detail?volume_id=${volume.id}`)).body.backups;
      expect(backups.map((b: any) => b.id)).toEqual([winner.id]);
    }
  }, 300_000);

  it('never leaves an incremental without its parent when the parent is deleted while the child is created', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 4; round++) {
      const volume = await client().createVolume(1, `parent-race-${round}`);
      const parent = await client().createBackup(volume.id);
      expect(parent.status).toBe('available');

      const [child, deletion] = await Promise.all([
        client().post('/v3/backups', { backup: { volume_id: volume.id, incremental: true } }),
        client().delete(`/v3/backups/${parent.id}`),
      ]);

      // The child's request takes only its volume's lock; its workflow then links it to the parent, at the
      // parent's revision. Whichever reached the parent's stream first wins; the other is refused, at once
      // when the api could see the winner, else by the workflow, which records the child as failed.
      if (child.status === 202 && deletion.status === 400) {
        outcomes.push('child');
        expect(deletion.body.badRequest.message).toBe('Invalid backup: Incremental backups exist for this backup.');
        const done = await client().waitFor(`/v3/backups/${child.body.backup.id}`, (b: any) => b.backup.status !== 'creating');
        expect(done.backup.status).toBe('available');
        expect((await client().get(`/v3/backups/${parent.id}`)).body.backup).toMatchObject({
          status: 'available',
          has_dependent_backups: true,
        });
      } else if (child.status === 400) {
        outcomes.push('deletion');
        expect(deletion.status).toBe(202);
        expect(child.body.badRequest.message).toBe('Invalid backup: No backups available to do an incremental backup.');
        await client().waitFor('/v3/backups/detail', (b: any) => !b.backups.some((x: any) => x.id === parent.id));
        expect((await client().get(`/v3/backups/detail?volume_id=${volume.id}`)).body.backups).toEqual([]);
        expect((await client().get(`/v3/volumes/${volume.id}`)).body.volume.status).toBe('available');
      } else {
        outcomes.push('deletion, child failed by its workflow');
        expect([child.status, deletion.status]).toEqual([202, 202]);
        const done = await client().waitFor(`/v3/backups/${child.body.backup.id}`, (b: any) => b.backup.status !== 'creating');
        expect(done.backup).toMatchObject({
          status: 'error',
          fail_reason: 'Invalid backup: No backups available to do an incremental backup.',
        });
        await client().waitFor('/v3/backups/detail', (b: any) => !b.backups.some((x: any) => x.id === parent.id));
        await client().waitFor(`/v3/volumes/${volume.id}`, (v: any) => v.volume.status === 'available');
        expect(eventTypesOf(strata, 'backup', child.body.backup.id)).toEqual(['BackupRequested', 'BackupFailed']);
      }
    }
    console.log(`parent deletion vs incremental creation, winners by round: ${outcomes.join(', ')}`);
  }, 300_000);

  it('retries commands that met a newer revision: simultaneous updates are all applied, none silently lost', async () => {
    const volume = await client().createVolume(1, 'updates');
    const backup = await client().createBackup(volume.id);
    const names = Array.from({ length: 8 }, (_, i) => `name-${i}`);

    const answers = await Promise.all(
      names.map((name) => client().put(`/v3/backups/${backup.id}`, { backup: { name } }, { 'OpenStack-API-Version': 'volume 3.9' })),
    );

    expect(answers.map((a) => a.status)).toEqual(names.map(() => 200));
    const updates = ((await client().get(`/strata/v1/backups/${backup.id}/events?limit=1000`)).body.events as any[]).filter(
      (e) => e.type === 'BackupUpdated',
    );
    expect(updates.map((e) => e.data.name).sort()).toEqual(names);
    const last = updates[updates.length - 1].data.name;
    expect((await client().get(`/v3/backups/${backup.id}`)).body.backup.name).toBe(last);
  }, 120_000);
});

describe('start-up repair of locks whose job no longer exists (Cinder restart clean-up)', () => {
  const strata = restartableStrata('strata-repair-');
  /** Restarts Strata on the same state, with or without its worker. */
  const restart = async (runWorker: boolean) => (await strata.restart(runWorker)).client;

  it('releases a volume left backing-up by a reset backup, cancels a reset restore, and resumes a backup still creating', async () => {
    let client = await restart(true);
    const [a, b, c] = [await client.createVolume(1, 'a'), await client.createVolume(1, 'b'), await client.createVolume(1, 'c')];
    const available = await client.createBackup(c.id);
    const target = await client.createVolume(1, 'target');

    // No worker: the requests are recorded and nothing runs them; then an admin resets two of them.
    client = await restart(false);
    const reset = (await client.createBackup(a.id, {}, null)).id;
    const resumed = (await client.createBackup(b.id, {}, null)).id;
    expect((await client.post(`/v3/backups/${available.id}/restore`, { restore: { volume_id: target.id } })).status).toBe(202);
    for (const id of [reset, available.id])
      expect((await client.post(`/v3/backups/${id}/action`, { 'os-reset_status': { status: 'error' } })).status).toBe(202);
    expect((await client.get(`/v3/volumes/${a.id}`)).body.volume.status).toBe('backing-up');
    expect((await client.get(`/v3/volumes/${target.id}`)).body.volume.status).toBe('restoring-backup');

    client = await restart(true);
    await client.waitFor(`/v3/volumes/${a.id}`, (v: any) => v.volume.status === 'available');
    expect((await client.get(`/v3/backups/${reset}`)).body.backup.status).toBe('error');
    await client.waitFor(`/v3/volumes/${target.id}`, (v: any) => v.volume.status === 'error');
    expect((await client.get(`/v3/backups/${available.id}`)).body.backup.status).toBe('available');
    expect(eventTypesOf(strata.current, 'backup', available.id).slice(-3)).toEqual([
      'RestoreRequested',
      'BackupStatusReset',
      'RestoreCancelled',
    ]);
    await client.waitFor(`/v3/backups/${resumed}`, (x: any) => x.backup.status === 'available');
    expect((await client.get(`/v3/volumes/${b.id}`)).body.volume.status).toBe('available');
  }, 300_000);
});
