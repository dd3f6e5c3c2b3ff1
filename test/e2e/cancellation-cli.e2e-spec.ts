import { CATALOG, type Catalog } from '@strata/catalog';
import { cinderCli, expectOk, openstackCli, requireClients } from './support/openstack-cli';
import { restartableStrata } from './support/strata-app';

/**
 * Cancelling restores with the real clients. The restores are recorded while no worker runs (so they
 * are surely still `restoring` when the slow CLIs get there); the worker that starts afterwards finds
 * them reset and finishes the cancellation as a running restore would have.
 */
describe('cancelling restores with the openstack and cinder CLIs', () => {
  beforeAll(() => requireClients());
  const strata = restartableStrata('strata-cancel-cli-');
  const restart = strata.restart;
  /** The backup's resets as its audit route shows them (the event data read from the log). */
  const resets = async (backupId: string) =>
    ((await strata.current.client.get(`/strata/v1/backups/${backupId}/events?limit=1000`)).body.events as any[])
      .filter((e) => e.type === 'BackupStatusReset')
      .map((e) => ({ userId: e.user_id, status: e.data.status, previousStatus: e.data.previousStatus }));

  it('openstack volume backup set --state error and cinder backup-reset-state --state error ID1 ID2 cancel running restores', async () => {
    // openstack (auth none) is user and project "notused"; cinder is who its noauth token says.
    const asOpenstack = (await restart(true)).client.as({ 'X-Auth-Token': 'notused:notused' });
    const asCinder = strata.current.client.as({ 'X-Auth-Token': 'ops:demo' });
    const setUp = async (client: typeof asCinder, n: number) => {
      const pairs: { backupId: string; targetId: string }[] = [];
      for (let i = 0; i < n; i++) {
        const source = await client.createVolume(1, `source-${i}`);
        const backup = await client.createBackup(source.id);
        pairs.push({ backupId: backup.id, targetId: (await client.createVolume(1, `target-${i}`)).id });
      }
      return pairs;
    };
    const viaOpenstack = await setUp(asOpenstack, 1);
    const viaCinder = await setUp(asCinder, 2);

    const running = await restart(false);
    const openstack = openstackCli(running.baseUrl);
    const cinder = cinderCli(running.baseUrl, 'ops', 'demo');
    for (const [token, pairs] of [
      ['notused:notused', viaOpenstack],
      ['ops:demo', viaCinder],
    ] as const)
      for (const { backupId, targetId } of pairs) {
        const answer = await running.client
          .as({ 'X-Auth-Token': token })
          .post(`/v3/backups/${backupId}/restore`, { restore: { volume_id: targetId } });
        expect(answer.status).toBe(202);
      }

    expectOk(await openstack.run('volume', 'backup', 'set', '--state', 'error', viaOpenstack[0]!.backupId));
    expectOk(await cinder.run('backup-reset-state', '--state', 'error', viaCinder[0]!.backupId, viaCinder[1]!.backupId));

    expect(await resets(viaOpenstack[0]!.backupId)).toEqual([{ userId: 'notused', status: 'error', previousStatus: 'restoring' }]);
    for (const { backupId } of viaCinder)
      expect(await resets(backupId)).toEqual([{ userId: 'ops', status: 'error', previousStatus: 'restoring' }]);

    const done = (await restart(true)).client;
    for (const [token, { backupId, targetId }] of [
      ['notused:notused', viaOpenstack[0]!],
      ['ops:demo', viaCinder[0]!],
      ['ops:demo', viaCinder[1]!],
    ] as const) {
      const client = done.as({ 'X-Auth-Token': token });
      await client.waitFor(`/v3/volumes/${targetId}`, (v: any) => v.volume.status === 'error');
      expect((await client.get(`/v3/backups/${backupId}`)).body.backup.status).toBe('available');
      // (openstack's `set` also sends a PUT of the backup, recorded as BackupUpdated.)
      const restoreStory = ['RestoreRequested', 'BackupStatusReset', 'RestoreCancelled', 'RestoreCompleted', 'RestoreFailed'];
      expect(
        strata.current.app
          .get<Catalog>(CATALOG)
          .eventsOfEntity('backup', backupId)
          .map((e) => e.type)
          .filter((t) => restoreStory.includes(t)),
      ).toEqual(['RestoreRequested', 'BackupStatusReset', 'RestoreCancelled']);
    }
  }, 600_000);
});
