import {
  backupDecider,
  backupStreamId,
  quotaStreamId,
  volumeDecider,
  volumeStreamId,
  type BackupRequested,
  type EventMeta,
  type VolumeRestoreStarted,
} from '@strata/domain';
import { CATALOG, type Catalog } from '@strata/catalog';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import { backupCreationStepKey, restoreWorkflowId } from '@strata/workflows';
import { randomUUID } from 'node:crypto';
import { restartableStrata, type RunningStrata } from './support/strata-app';
import { startApiProcess } from './support/strata-processes';

/**
 * A process killed between two steps of a workflow leaves the log holding the steps before the kill and
 * nothing of the rest: each step is one append, and nothing else survives a process. So each case
 * writes the steps before the crash exactly as the workflow writes them (the api's first step through
 * the api, with no worker running; later ones with the workflow's own idempotency keys), starts Strata
 * with its worker on that log and checks the end state. The first case kills a real api process.
 */
describe('workflows killed between two steps finish, or undo, on restart', () => {
  const strata = restartableStrata('strata-workflow-crash-');
  const meta: EventMeta = {
    correlationId: 'crash-spec',
    causationId: 'crash-spec',
    userId: 'strata-worker',
    projectId: 'strata',
    requestId: 'crash-spec',
  };
  const storeOf = (s: RunningStrata) => s.app.get<EventStore>(EVENT_STORE);
  const now = () => new Date().toISOString();
  const eventsOf = async (s: RunningStrata, streamId: string) => {
    const events: { type: string; data: any }[] = [];
    for await (const e of storeOf(s).readStream(streamId)) events.push({ type: e.type, data: e.data });
    return events;
  };
  const typesOf = async (s: RunningStrata, streamId: string) => (await eventsOf(s, streamId)).map((e) => e.type);
  /** The backup a lock carries (the workflow's input). */
  const requestOnLock = async (s: RunningStrata, volumeId: string, backupId: string): Promise<BackupRequested['data']> =>
    (await eventsOf(s, volumeStreamId(volumeId))).find((e) => e.type === 'VolumeBackupStarted' && e.data.backupId === backupId)!.data
      .backup;
  const restoreLockOn = async (s: RunningStrata, volumeId: string): Promise<VolumeRestoreStarted['data']> =>
    (await eventsOf(s, volumeStreamId(volumeId))).filter((e) => e.type === 'VolumeRestoreStarted').pop()!.data;

  /** A volume with a full backup, made by Strata with its worker. */
  const volumeWithFullBackup = async () => {
    const { client } = await strata.restart(true);
    const volume = await client.createVolume(1, 'source');
    const full = await client.createBackup(volume.id);
    expect(full.status).toBe('available');
    return { volume, full };
  };

  /** The api alone (no worker) takes the first step of a backup; the answer is the backup as accepted. */
  const requestIncremental = async (volumeId: string) => {
    const { client } = await strata.restart(false);
    const res = await client.post('/v3/backups', { backup: { volume_id: volumeId, incremental: true } });
    expect(res.status).toBe(202);
    expect((await client.get(`/v3/backups/${res.body.backup.id}`)).body.backup.status).toBe('creating');
    return res.body.backup.id as string;
  };

  describe('backup creation: lock → link to the parent → record the backup (→ release the lock, when refused)', () => {
    it('SIGKILL of the api right after the lock: the worker records the backup and runs it', async () => {
      const { client } = await strata.restart(true);
      const volume = await client.createVolume(1, 'killed');
      const { stateDir, options } = strata.current;
      await strata.current.close();
      const api = await startApiProcess('api', {
        STRATA_STATE_PATH: stateDir,
        STRATA_BACKUP_FILE_SIZE: String(options.backup_file_size),
        STRATA_MANAGED_VOLUME_PATHS: `${stateDir}.managed`,
      });
      const res = await api.client.post('/v3/backups', { backup: { volume_id: volume.id, name: 'after the kill' } });
      expect(res.status).toBe(202);
      await api.process.stop('SIGKILL');

      const restarted = await strata.restart(true);
      const done = await restarted.client.waitFor(`/v3/backups/${res.body.backup.id}`, (b: any) => b.backup.status !== 'creating');
      expect(done.backup).toMatchObject({ status: 'available', name: 'after the kill' });
      expect((await restarted.client.get(`/v3/volumes/${volume.id}`)).body.volume.status).toBe('available');
      expect((await typesOf(restarted, backupStreamId(res.body.backup.id))).filter((t) => t === 'BackupRequested')).toHaveLength(1);
    }, 300_000);

    it('killed after the link: the link is not made twice, the backup is recorded and runs', async () => {
      const { volume, full } = await volumeWithFullBackup();
      const childId = await requestIncremental(volume.id);
      await decideAndAppend(
        storeOf(strata.current),
        backupStreamId(full.id),
        backupDecider,
        { type: 'AddBackupChild', data: { backupId: full.id, childId, now: now() } },
        meta,
        { idempotencyKey: backupCreationStepKey(childId, 'link') },
      );

      const { client } = await strata.restart(true);
      const done = await client.waitFor(`/v3/backups/${childId}`, (b: any) => b.backup.status !== 'creating');
      expect(done.backup).toMatchObject({ status: 'available', is_incremental: true });
      expect((await typesOf(strata.current, backupStreamId(full.id))).filter((t) => t === 'BackupChildAdded')).toHaveLength(1);
      expect((await client.get(`/v3/backups/${full.id}`)).body.backup.has_dependent_backups).toBe(true);
    }, 300_000);

    it('killed after the lock while the parent was deleted: the link is refused, the backup recorded failed, the lock released', async () => {
      const { volume, full } = await volumeWithFullBackup();
      const childId = await requestIncremental(volume.id);
      // A deletion that reached the parent's stream first (the api would now refuse it: the catalog shows the child).
      await decideAndAppend(
        storeOf(strata.current),
        backupStreamId(full.id),
        backupDecider,
        { type: 'RequestBackupDeletion', data: { backupId: full.id, force: false, liveChildCount: 0, knownChildIds: [], now: now() } },
        meta,
      );

      const { client } = await strata.restart(true);
      const done = await client.waitFor(`/v3/backups/${childId}`, (b: any) => b.backup.status !== 'creating');
      expect(done.backup).toMatchObject({
        status: 'error',
        fail_reason: 'Invalid backup: No backups available to do an incremental backup.',
      });
      await client.waitFor(`/v3/volumes/${volume.id}`, (v: any) => v.volume.status === 'available');
      await client.waitFor('/v3/backups/detail', (b: any) => !b.backups.some((x: any) => x.id === full.id));
      expect(await typesOf(strata.current, backupStreamId(childId))).toEqual(['BackupRequested', 'BackupFailed']);
    }, 300_000);

    it('killed after recording the refusal, before releasing the lock: the lock is released at once, by what the backup recorded', async () => {
      const { volume, full } = await volumeWithFullBackup();
      const childId = await requestIncremental(volume.id);
      const store = storeOf(strata.current);
      await decideAndAppend(
        store,
        backupStreamId(full.id),
        backupDecider,
        { type: 'RequestBackupDeletion', data: { backupId: full.id, force: false, liveChildCount: 0, knownChildIds: [], now: now() } },
        meta,
      );
      const backup = await requestOnLock(strata.current, volume.id, childId);
      await decideAndAppend(
        store,
        backupStreamId(childId),
        backupDecider,
        {
          type: 'RecordBackupRequest',
          data: { backup, failReason: 'Invalid backup: No backups available to do an incremental backup.', now: now() },
        },
        meta,
        { idempotencyKey: backupCreationStepKey(childId, 'record') },
      );

      const { client } = await strata.restart(true);
      await client.waitFor(`/v3/volumes/${volume.id}`, (v: any) => v.volume.status === 'available', 30_000);
      expect((await client.get(`/v3/backups/${childId}`)).body.backup.status).toBe('error');
      expect(await typesOf(strata.current, backupStreamId(childId))).toEqual(['BackupRequested', 'BackupFailed']);
    }, 300_000);
  });

  describe('restore: lock the target → request the restore on the backup (→ give the lock back, when refused)', () => {
    const restoreInto = async (backupId: string, volumeId: string) => {
      const { client } = await strata.restart(false);
      const res = await client.post(`/v3/backups/${backupId}/restore`, { restore: { volume_id: volumeId } });
      expect(res.status).toBe(202);
      expect((await client.get(`/v3/backups/${backupId}`)).body.backup.status).toBe('restoring');
    };

    it('killed after the lock: the worker requests the restore and runs it', async () => {
      const { full } = await volumeWithFullBackup();
      const target = await strata.current.client.createVolume(1, 'target');
      await restoreInto(full.id, target.id);

      const { client } = await strata.restart(true);
      await client.waitFor(`/v3/volumes/${target.id}`, (v: any) => v.volume.status === 'available');
      expect((await client.get(`/v3/backups/${full.id}`)).body.backup.status).toBe('available');
      expect(
        (await typesOf(strata.current, backupStreamId(full.id))).filter((t) => t.startsWith('Restore') && t !== 'RestoreProgressed'),
      ).toEqual(['RestoreRequested', 'RestoreCompleted']);
    }, 300_000);

    it('killed after the restore was requested: it is not requested twice, and runs', async () => {
      const { full } = await volumeWithFullBackup();
      const target = await strata.current.client.createVolume(1, 'target');
      await restoreInto(full.id, target.id);
      const lock = await restoreLockOn(strata.current, target.id);
      await decideAndAppend(
        storeOf(strata.current),
        backupStreamId(full.id),
        backupDecider,
        { type: 'RequestRestore', data: { backupId: full.id, volumeId: target.id, volumeIsNew: false, now: now() } },
        meta,
        { idempotencyKey: `${restoreWorkflowId(lock)}:request` },
      );

      const { client } = await strata.restart(true);
      await client.waitFor(`/v3/volumes/${target.id}`, (v: any) => v.volume.status === 'available');
      expect(
        (await typesOf(strata.current, backupStreamId(full.id))).filter((t) => t.startsWith('Restore') && t !== 'RestoreProgressed'),
      ).toEqual(['RestoreRequested', 'RestoreCompleted']);
    }, 300_000);

    it('killed after the lock while the backup was reset: the restore is refused and the volume given back untouched', async () => {
      const { full } = await volumeWithFullBackup();
      const target = await strata.current.client.createVolume(1, 'target');
      await restoreInto(full.id, target.id);
      await decideAndAppend(
        storeOf(strata.current),
        backupStreamId(full.id),
        backupDecider,
        { type: 'ResetBackupStatus', data: { backupId: full.id, status: 'error', now: now() } },
        meta,
      );

      const { client } = await strata.restart(true);
      await client.waitFor(`/v3/volumes/${target.id}`, (v: any) => v.volume.status === 'available');
      expect((await client.get(`/v3/backups/${full.id}`)).body.backup.status).toBe('error');
      expect((await typesOf(strata.current, volumeStreamId(target.id))).slice(-2)).toEqual(['VolumeRestoreStarted', 'VolumeRestoreEnded']);
      expect(await typesOf(strata.current, backupStreamId(full.id))).not.toContain('RestoreRequested');
    }, 300_000);

    it('into a new volume, killed after the volume was created: provisioning locks it, and the restore runs', async () => {
      const { full } = await volumeWithFullBackup();
      await strata.restart(false);
      const volumeId = randomUUID();
      const { projectId, userId } = strata.current.app.get<Catalog>(CATALOG).getBackup(full.id, { projectId: '', allProjects: true })!;
      // What the api records for a restore into a new volume (its answer then waits for the volume).
      await decideAndAppend(
        storeOf(strata.current),
        volumeStreamId(volumeId),
        volumeDecider,
        {
          type: 'CreateVolume',
          data: {
            volumeId,
            projectId,
            userId,
            name: `restore_backup_${full.id}`,
            description: 'auto-created_from_restore_from_backup',
            sizeGb: 1,
            availabilityZone: 'nova',
            volumeType: null,
            encryptionKeyId: null,
            metadata: {},
            source: { kind: 'blank' },
            createdAt: now(),
            restoreOf: { backupId: full.id },
          },
        },
        meta,
      );

      const { client } = await strata.restart(true);
      await client.waitFor(`/v3/volumes/${volumeId}`, (v: any) => v.volume.status !== 'creating' && v.volume.status !== 'restoring-backup');
      expect((await client.get(`/v3/volumes/${volumeId}`)).body.volume.status).toBe('available');
      const restored = (await eventsOf(strata.current, backupStreamId(full.id))).filter((e) => e.type === 'RestoreRequested');
      expect(restored.map((e) => e.data)).toMatchObject([{ volumeId, volumeIsNew: true }]);
      expect((await typesOf(strata.current, volumeStreamId(volumeId))).slice(0, 3)).toEqual([
        'VolumeCreated',
        'VolumeProvisioned',
        'VolumeRestoreStarted',
      ]);
    }, 300_000);
  });
  describe('backup creation with a quota: lock → claim (→ give the lock back, when refused)', () => {
    /**
     * The api's first step for a second backup of the project, exactly as a request killed before its
     * claim leaves the log: the lock, carrying the backup (the first backup's request, re-aimed).
     */
    const lockWithoutClaim = async (first: { volumeId: string; backupId: string }, volumeId: string, name: string) => {
      await strata.restart(false);
      const template = await requestOnLock(strata.current, first.volumeId, first.backupId);
      const backupId = randomUUID();
      await decideAndAppend(
        storeOf(strata.current),
        volumeStreamId(volumeId),
        volumeDecider,
        {
          type: 'StartVolumeBackup',
          data: { volumeId, backupId, force: false, now: now(), backup: { ...template, backupId, volumeId, name, createdAt: now() } },
        },
        meta,
      );
      return backupId;
    };
    const setBackupsQuota = async (client: RunningStrata['client'], backups: number) =>
      expect((await client.put('/v3/project-a/os-quota-sets/project-a', { quota_set: { backups } })).status).toBe(200);

    it('killed after the lock, over quota: the worker claims, is refused, gives the lock back, and the backup never was', async () => {
      const { client } = await strata.restart(true);
      const [v1, v2] = [await client.createVolume(1, 'q1'), await client.createVolume(1, 'q2')];
      await setBackupsQuota(client, 1);
      const first = await client.createBackup(v1.id);
      const backupId = await lockWithoutClaim({ volumeId: v1.id, backupId: first.id }, v2.id, 'over quota');

      const restarted = await strata.restart(true);
      await restarted.client.waitFor(`/v3/volumes/${v2.id}`, (b: any) => b.volume.status === 'available');
      expect((await restarted.client.get(`/v3/backups/${backupId}`)).status).toBe(404);
      // Nothing was ever recorded on the backup's own stream: there is none.
      await expect(typesOf(restarted, backupStreamId(backupId))).rejects.toThrow(`Stream ${backupStreamId(backupId)} not found`);
      expect((await eventsOf(restarted, quotaStreamId('project-a'))).filter((e) => e.data.claimId === `backup:${backupId}`)).toEqual([
        expect.objectContaining({
          type: 'QuotaReservationRefused',
          data: expect.objectContaining({ over: 'backups', limit: 1, consumed: 1 }),
        }),
      ]);
      expect((await eventsOf(restarted, volumeStreamId(v2.id))).at(-1)).toMatchObject({
        type: 'VolumeBackupEnded',
        data: { backupId, outcome: 'cancelled' },
      });
    }, 300_000);

    it('killed after the lock, within quota: the worker claims, runs the backup, and usage counts it', async () => {
      const { client } = await strata.restart(true);
      const [v1, v2] = [await client.createVolume(1, 'q1'), await client.createVolume(1, 'q2')];
      await setBackupsQuota(client, 2);
      const first = await client.createBackup(v1.id);
      const backupId = await lockWithoutClaim({ volumeId: v1.id, backupId: first.id }, v2.id, 'within quota');

      const restarted = await strata.restart(true);
      const done = await restarted.client.waitFor(`/v3/backups/${backupId}`, (b: any) => b.backup.status !== 'creating');
      expect(done.backup).toMatchObject({ status: 'available', name: 'within quota' });
      const usage = await restarted.client.waitFor(
        '/v3/project-a/os-quota-sets/project-a?usage=true',
        (b: any) => b.quota_set.backups.reserved === 0,
      );
      expect(usage.quota_set.backups).toEqual({ limit: 2, in_use: 2, reserved: 0, allocated: 0 });
    }, 300_000);
  });
});
