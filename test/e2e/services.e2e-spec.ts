import { jobLeaseStreamId, serviceStreamId, volumeStreamId } from '@strata/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@strata/event-store';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStrata, startStrataWithTokens, type RunningStrata } from './support/strata-app';
import type { StrataClient } from './support/strata-client';
import { WorkerProcess } from './support/worker-process';

/**
 * Cinder's services, availability zones and pools over HTTP: every process registers its service (the
 * api `cinder-volume` as HOST@file, each worker `cinder-backup` as HOST) and beats every report_interval;
 * `os-services` judges up/down from the last beat; a disabled or dead cinder-backup takes no job, and
 * with none left backup requests are refused as Cinder refuses them.
 */

const V = (version: string) => ({ 'OpenStack-API-Version': `volume ${version}` });
/** Fast heartbeats so that a dead service is seen down within seconds (the spec waits for it, never times it). */
const FAST = { STRATA_REPORT_INTERVAL: '1', STRATA_SERVICE_DOWN_TIME: '3' };

const eventsOf = async (store: EventStore, streamId: string): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  try {
    for await (const e of store.readStream(streamId)) events.push(e);
  } catch (error) {
    if ((error as Error).name !== 'StreamNotFound') throw error;
  }
  return events;
};

/** Polls until `done` holds on the services list; a deadline, not an assertion on time. */
const waitForServices = async (client: StrataClient, done: (services: any[]) => boolean, deadlineMs = 60_000) => {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const res = await client.get('/v3/os-services', V('3.70'));
    if (res.status === 200 && done(res.body.services)) return res.body.services as any[];
    if (Date.now() > deadline) throw new Error(`services never matched: ${JSON.stringify(res.body)}`);
    await sleep(100);
  }
};

describe('os-services, os-availability-zone and get_pools', () => {
  let strata: RunningStrata;
  const admin = () => strata.client.as({ 'X-Auth-Token': 'admin-tok' });
  const member = () => strata.client.as({ 'X-Auth-Token': 'member-tok' });

  beforeAll(async () => {
    strata = await startStrataWithTokens(
      {
        'admin-tok': { user_id: 'root', project_id: 'ops', roles: ['admin'] },
        'member-tok': { user_id: 'alice', project_id: 'ops', roles: ['member'] },
      },
      { STRATA_HOST: 'node-a', ...FAST },
    );
  });
  afterAll(async () => strata?.close());

  it("lists the api's cinder-volume and the worker's cinder-backup with Cinder's keys for each microversion", async () => {
    const at370 = await admin().get('/v3/os-services', V('3.70'));
    expect(at370.status).toBe(200);
    const byBinary = Object.fromEntries(at370.body.services.map((s: any) => [s.binary, s]));
    expect(byBinary['cinder-volume']).toEqual({
      binary: 'cinder-volume',
      host: 'node-a@file',
      zone: 'nova',
      status: 'enabled',
      state: 'up',
      updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/),
      backend_state: 'up',
      cluster: null,
      disabled_reason: null,
      replication_status: 'not-capable',
      active_backend_id: null,
      frozen: false,
    });
    expect(byBinary['cinder-backup']).toEqual({
      binary: 'cinder-backup',
      host: 'node-a',
      zone: 'nova',
      status: 'enabled',
      state: 'up',
      updated_at: expect.any(String),
      cluster: null,
      disabled_reason: null,
    });
    const at30 = await admin().get('/v3/os-services', V('3.0'));
    expect(Object.keys(at30.body.services.find((s: any) => s.binary === 'cinder-volume')).sort()).toEqual(
      [
        'active_backend_id',
        'binary',
        'disabled_reason',
        'frozen',
        'host',
        'replication_status',
        'state',
        'status',
        'updated_at',
        'zone',
      ].sort(),
    );
  });

  it("filters on host as Cinder's host match does, and on binary", async () => {
    const hosts = async (query: string) =>
      ((await admin().get(`/v3/os-services${query}`)).body.services as any[]).map((s) => `${s.binary} ${s.host}`).sort();
    expect(await hosts('?host=node-a')).toEqual(['cinder-backup node-a', 'cinder-volume node-a@file']);
    expect(await hosts('?host=node-a@file')).toEqual(['cinder-volume node-a@file']);
    expect(await hosts('?binary=cinder-backup')).toEqual(['cinder-backup node-a']);
    expect(await hosts('?host=node-b')).toEqual([]);
  });

  it('is for admins only, as Cinder’s policy says', async () => {
    expect((await member().get('/v3/os-services')).status).toBe(403);
    expect((await member().put('/v3/os-services/disable', { host: 'node-a', binary: 'cinder-backup' })).status).toBe(403);
    expect((await member().get('/v3/scheduler-stats/get_pools')).status).toBe(403);
    expect((await member().get('/v3/os-availability-zone')).body).toEqual({
      availabilityZoneInfo: [{ zoneName: 'nova', zoneState: { available: true } }],
    });
  });

  it("disables with and without a reason and enables, answering Cinder's bodies", async () => {
    const reason = await admin().put('/v3/os-services/disable-log-reason', {
      host: 'node-a',
      binary: 'cinder-backup',
      disabled_reason: 'disk swap',
    });
    expect(reason).toMatchObject({ status: 200 });
    expect(reason.body).toEqual({
      disabled_reason: 'disk swap',
      disabled: true,
      host: 'node-a',
      service: '',
      binary: 'cinder-backup',
      status: 'disabled',
    });
    const shown = (await admin().get('/v3/os-services?binary=cinder-backup')).body.services[0];
    expect(shown).toMatchObject({ status: 'disabled', disabled_reason: 'disk swap', state: 'up' });

    // The older `service` key names the binary too.
    const enabled = await admin().put('/v3/os-services/enable', { host: 'node-a', service: 'cinder-backup' });
    expect(enabled.body).toEqual({ disabled: false, host: 'node-a', service: 'cinder-backup', binary: '', status: 'enabled' });
    // Cinder keeps the last reason when a service is enabled and disabled again without one.
    await admin().put('/v3/os-services/disable', { host: 'node-a', binary: 'cinder-backup' });
    expect((await admin().get('/v3/os-services?binary=cinder-backup')).body.services[0].disabled_reason).toBe('disk swap');
    await admin().put('/v3/os-services/enable', { host: 'node-a', binary: 'cinder-backup' });
    expect((await admin().get('/v3/os-services?binary=cinder-backup')).body.services[0].status).toBe('enabled');
  });

  it("refuses what Cinder refuses, in Cinder's words", async () => {
    const put = (action: string, body: unknown) => admin().put(`/v3/os-services/${action}`, body);
    expect((await put('disable', { host: 'node-z', binary: 'cinder-backup' })).body).toEqual({
      itemNotFound: { code: 404, message: 'Service cinder-backup could not be found on host node-z.' },
    });
    expect((await put('disable', { binary: 'cinder-backup' })).body).toEqual({
      badRequest: { code: 400, message: 'Invalid input received: Host field is missing.' },
    });
    expect((await put('freeze', { host: 'node-a' })).body).toEqual({
      badRequest: { code: 400, message: 'Invalid input received: Unknown action' },
    });
    expect((await put('disable', { host: 'node-a' })).status).toBe(400);
    expect((await put('disable', { host: 'node-a', binary: 'cinder-backup', colour: 'red' })).status).toBe(400);
    expect((await put('disable-log-reason', { host: 'node-a', binary: 'cinder-backup', disabled_reason: '   ' })).body).toEqual({
      badRequest: { code: 400, message: "Invalid input for field/attribute disabled_reason. Value:    . '   ' is not a 'disabled_reason'" },
    });
    expect((await admin().get('/v3/os-services?binary=cinder-backup')).body.services[0].status).toBe('enabled');
  });

  it('shows a zone unavailable only while every volume service in it is disabled', async () => {
    await admin().put('/v3/os-services/disable', { host: 'node-a@file', binary: 'cinder-volume' });
    expect((await admin().get('/v3/os-availability-zone')).body.availabilityZoneInfo).toEqual([
      { zoneName: 'nova', zoneState: { available: false } },
    ]);
    await admin().put('/v3/os-services/enable', { host: 'node-a', binary: 'cinder-volume' });
    expect((await admin().get('/v3/os-availability-zone')).body.availabilityZoneInfo).toEqual([
      { zoneName: 'nova', zoneState: { available: true } },
    ]);
  });

  it("lists the volume service's pool, with capabilities on detail, filtered as Cinder filters", async () => {
    expect((await admin().get('/v3/scheduler-stats/get_pools')).body).toEqual({ pools: [{ name: 'node-a@file#file' }] });
    const detail = (await admin().get('/v3/scheduler-stats/get_pools?detail=true', V('3.70'))).body.pools;
    expect(detail).toEqual([
      {
        name: 'node-a@file#file',
        capabilities: expect.objectContaining({
          pool_name: 'file',
          volume_backend_name: 'file',
          storage_protocol: 'file',
          total_capacity_gb: expect.any(Number),
          free_capacity_gb: expect.any(Number),
          allocated_capacity_gb: expect.any(Number),
          backend_state: 'up',
        }),
      },
    ]);
    expect((await admin().get('/v3/scheduler-stats/get_pools?name=other', V('3.70'))).body.pools).toEqual([]);
    // Before 3.28 filters are not read at all.
    expect((await admin().get('/v3/scheduler-stats/get_pools?name=other', V('3.27'))).body.pools).toHaveLength(1);
    expect((await admin().get('/v3/scheduler-stats/get_pools?colour=red', V('3.70'))).body).toEqual({
      badRequest: { code: 400, message: 'Invalid filters colour are found in query options.' },
    });
    // A volume type the pool cannot serve (another backend) leaves it out; an unknown type is Cinder's 404.
    const type = await admin().post('/v3/types', { volume_type: { name: 'elsewhere', extra_specs: { volume_backend_name: 'lvm' } } });
    expect(type.status).toBe(200);
    expect((await admin().get('/v3/scheduler-stats/get_pools?volume_type=elsewhere', V('3.70'))).body.pools).toEqual([]);
    expect((await admin().get('/v3/scheduler-stats/get_pools?volume_type=nope', V('3.70'))).status).toBe(404);
  });
});

describe('backup requests and the cinder-backup services that serve them', () => {
  let strata: RunningStrata;
  let worker: WorkerProcess;
  let store: EventStore;

  beforeAll(async () => {
    strata = await startStrata({ STRATA_HOST: 'node-a', STRATA_WORKER_ID: 'worker-a', ...FAST });
    store = strata.app.get<EventStore>(EVENT_STORE);
    worker = new WorkerProcess(strata.stateDir, {
      STRATA_HOST: 'node-b',
      STRATA_WORKER_ID: 'worker-b',
      STRATA_LOG_LEVEL: 'info',
      STRATA_BACKUP_FILE_SIZE: String(64 * 1024 * 1024),
      STRATA_MANAGED_VOLUME_PATHS: strata.managedDir,
      ...FAST,
    });
    await worker.start();
  }, 120_000);
  afterAll(async () => {
    await worker?.kill();
    await strata?.close();
  });

  const leaseHolders = async (backupId: string) =>
    (await eventsOf(store, jobLeaseStreamId({ kind: 'backup', id: backupId })))
      .filter((e) => e.type === 'JobLeaseAcquired')
      .map((e) => (e.data as { workerId: string }).workerId);

  it('leaves backups to the enabled worker while one is disabled, refuses them when none is up, and serves them again once enabled', async () => {
    const client = strata.client;
    await waitForServices(client, (s) => s.some((x) => x.host === 'node-b' && x.state === 'up'));
    const volume = await client.createVolume(1, 'served');

    // node-a's cinder-backup disabled: node-b runs the backup, node-a never takes its lease.
    expect((await client.put('/v3/os-services/disable', { host: 'node-a', binary: 'cinder-backup' })).status).toBe(200);
    const first = await client.createBackup(volume.id);
    expect(first.status).toBe('available');
    expect(await leaseHolders(first.id)).toEqual(['worker-b']);

    // node-b killed: once service_down_time has passed it is down, and no cinder-backup is up and enabled.
    await worker.kill();
    const services = await waitForServices(client, (s) => s.some((x) => x.host === 'node-b' && x.state === 'down'));
    expect(services.find((s) => s.host === 'node-a' && s.binary === 'cinder-backup')).toMatchObject({ state: 'up', status: 'disabled' });
    const refused = await client.post('/v3/backups', { backup: { volume_id: volume.id } });
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ serviceUnavailable: { code: 503, message: 'Service cinder-backup could not be found.' } });
    const restore = await client.post(`/v3/backups/${first.id}/restore`, { restore: { volume_id: volume.id } });
    expect(restore.body).toEqual({ itemNotFound: { code: 404, message: 'Service cinder-backup could not be found.' } });
    // So are the other commands Cinder sends to a backup service: delete, force-delete, reset-state, export.
    const noService = { itemNotFound: { code: 404, message: 'Service cinder-backup could not be found.' } };
    expect((await client.delete(`/v3/backups/${first.id}`)).body).toEqual(noService);
    expect((await client.post(`/v3/backups/${first.id}/action`, { 'os-force_delete': {} })).body).toEqual(noService);
    expect((await client.post(`/v3/backups/${first.id}/action`, { 'os-reset_status': { status: 'error' } })).body).toEqual(noService);
    expect((await client.get(`/v3/backups/${first.id}/export_record`)).body).toEqual(noService);
    expect((await client.get(`/v3/backups/${first.id}`)).body.backup.status).toBe('available');
    // Nothing was recorded for either: the volume is as it was.
    expect((await client.get(`/v3/volumes/${volume.id}`)).body.volume.status).toBe('available');
    expect((await eventsOf(store, volumeStreamId(volume.id))).filter((e) => e.type === 'VolumeBackupStarted')).toHaveLength(1);

    // node-a enabled again: it takes the next backup.
    await client.put('/v3/os-services/enable', { host: 'node-a', binary: 'cinder-backup' });
    const second = await client.createBackup(volume.id);
    expect(second.status).toBe('available');
    expect(await leaseHolders(second.id)).toEqual(['worker-a']);
  }, 180_000);

  it('refuses a 3.51 availability zone no backup service serves, and records the one it does', async () => {
    const client = strata.client;
    const volume = await client.createVolume(1, 'zoned');
    const bogus = await client.post('/v3/backups', { backup: { volume_id: volume.id, availability_zone: 'bogus' } }, V('3.51'));
    expect(bogus.body).toEqual({ serviceUnavailable: { code: 503, message: 'Service cinder-backup could not be found.' } });
    const nova = await client.post('/v3/backups', { backup: { volume_id: volume.id, availability_zone: 'nova' } }, V('3.51'));
    expect(nova.status).toBe(202);
    const shown = await client.waitFor(`/v3/backups/${nova.body.backup.id}`, (b: any) => b.backup.status === 'available');
    expect(shown.backup.availability_zone).toBe('nova');
  }, 120_000);

  it('lets a backup that is running when its service is disabled finish', async () => {
    const client = strata.client;
    const MiB = 1024 * 1024;
    const volume = await client.createVolume(1, 'running-on-disable');
    // 128 MiB of random data: the backup runs for a few seconds, long enough to be disabled under it.
    const fd = openSync(join(strata.options.volumes_path, `volume-${volume.id}.img`), 'r+');
    for (let offset = 0; offset < 128 * MiB; offset += MiB) writeSync(fd, randomBytes(MiB), 0, MiB, offset);
    closeSync(fd);
    const res = await client.post('/v3/backups', { backup: { volume_id: volume.id } });
    expect(res.status).toBe(202);
    const backupId: string = res.body.backup.id;
    const leaseOf = async () => eventsOf(store, jobLeaseStreamId({ kind: 'backup', id: backupId }));
    const deadline = Date.now() + 60_000;
    while (!(await leaseOf()).some((e) => e.type === 'JobLeaseAcquired')) {
      if (Date.now() > deadline) throw new Error('the backup job never started');
      await sleep(20);
    }
    expect((await client.put('/v3/os-services/disable', { host: 'node-a', binary: 'cinder-backup' })).status).toBe(200);
    try {
      const done = await client.waitFor(`/v3/backups/${backupId}`, (b: any) => b.backup.status !== 'creating', 120_000);
      expect(done.backup.status).toBe('available');
      // The job was still running when the service was disabled: its lease was released after the disable.
      const [disabled] = (await eventsOf(store, serviceStreamId('cinder-backup', 'node-a')))
        .filter((e) => e.type === 'ServiceDisabled')
        .slice(-1);
      const released = (await leaseOf()).find((e) => e.type === 'JobLeaseReleased');
      expect(disabled && released && released.position > disabled.position).toBe(true);
    } finally {
      await client.put('/v3/os-services/enable', { host: 'node-a', binary: 'cinder-backup' });
    }
  }, 180_000);
});

describe('backup_max_operations', () => {
  let strata: RunningStrata;
  const MiB = 1024 * 1024;

  beforeAll(async () => {
    strata = await startStrata({ STRATA_BACKUP_MAX_OPERATIONS: '2' });
  });
  afterAll(async () => strata?.close());

  it('runs at most 2 of 5 backups at once and starts them in the order they were requested', async () => {
    const client = strata.client;
    const volumes = [];
    for (let i = 0; i < 5; i++) {
      const volume = await client.createVolume(1, `capped-${i}`);
      // 16 MiB of random data, so that every backup runs long enough to overlap the requests after it.
      const fd = openSync(join(strata.options.volumes_path, `volume-${volume.id}.img`), 'r+');
      for (let offset = 0; offset < 16 * MiB; offset += MiB) writeSync(fd, randomBytes(MiB), 0, MiB, offset);
      closeSync(fd);
      volumes.push(volume);
    }
    const requested: string[] = [];
    for (const volume of volumes) {
      const res = await client.post('/v3/backups', { backup: { volume_id: volume.id } });
      expect(res.status).toBe(202);
      requested.push(res.body.backup.id);
    }
    for (const id of requested)
      expect((await client.waitFor(`/v3/backups/${id}`, (b: any) => b.backup.status !== 'creating')).backup.status).toBe('available');

    // The log says when each job ran: from its lease's acquisition to its release, in log order.
    const store = strata.app.get<EventStore>(EVENT_STORE);
    const leases: RecordedEvent[] = [];
    for (const id of requested) leases.push(...(await eventsOf(store, jobLeaseStreamId({ kind: 'backup', id }))));
    leases.sort((a, b) => (a.position < b.position ? -1 : 1));
    let running = 0;
    let most = 0;
    for (const e of leases) {
      if (e.type === 'JobLeaseAcquired') most = Math.max(most, ++running);
      if (e.type === 'JobLeaseReleased') running--;
    }
    expect(most).toBe(2);
    const started = leases.filter((e) => e.type === 'JobLeaseAcquired').map((e) => (e.data as { subject: { id: string } }).subject.id);
    expect(started).toEqual(requested);
  }, 180_000);
});
