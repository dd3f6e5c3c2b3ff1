import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEsdbEventStore, type EventStore, type RecordedEvent } from '@strata/event-store';
import type { StrataClient } from './support/strata-client';
import { startApiProcess, startEsdbDoubleProcess, startWorkerProcess, type ChildUnderTest } from './support/strata-processes';

const MiB = 1024 * 1024;
const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

/**
 * Scale-out on EventStoreDB: two api processes (each with its own catalog replica, no worker) and two
 * worker processes share one store (the gRPC double, run as its own process), one volume directory and
 * one backup repository. Workers share jobs through lease streams; a killed worker's lease expires and
 * the other takes its job over.
 */
describe('two api processes and two workers on one EventStoreDB', () => {
  const shared = mkdtempSync(join(tmpdir(), 'strata-scale-'));
  const children: ChildUnderTest[] = [];
  let store: EventStore;
  let apis: [StrataClient, StrataClient];
  let workers: Map<string, ChildUnderTest>;
  const volumesPath = join(shared, 'volumes');

  beforeAll(async () => {
    const double = await startEsdbDoubleProcess();
    children.push(double.process);
    store = openEsdbEventStore(double.connectionString);
    const common = {
      STRATA_EVENT_STORE: double.connectionString,
      STRATA_VOLUMES_PATH: volumesPath,
      STRATA_BACKUP_POSIX_PATH: join(shared, 'backup'),
      // The default 15 s lease: shorter ones make two workers on a loaded machine take each other's jobs over
      // again and again (a renewal that lands late is a lease another worker may take).
      STRATA_LOG_LEVEL: 'info',
      STRATA_BACKUP_FILE_SIZE: String(64 * MiB),
    };
    const started = await Promise.all([
      startApiProcess('api-1', { ...common, STRATA_STATE_PATH: join(shared, 'api-1'), STRATA_RUN_WORKER: 'false' }),
      startApiProcess('api-2', { ...common, STRATA_STATE_PATH: join(shared, 'api-2'), STRATA_RUN_WORKER: 'false' }),
    ]);
    children.push(...started.map((s) => s.process));
    apis = [started[0].client, started[1].client];
    const names = ['worker-a', 'worker-b'];
    const running = await Promise.all(
      names.map((name) => startWorkerProcess(name, { ...common, STRATA_STATE_PATH: join(shared, name), STRATA_WORKER_ID: name })),
    );
    children.push(...running);
    workers = new Map(names.map((name, i) => [name, running[i]!]));
  }, 240_000);

  afterAll(async () => {
    await store?.close();
    await Promise.all(children.map((child) => child.stop('SIGKILL')));
    rmSync(shared, { recursive: true, force: true });
  });

  const eventsOf = async (streamId: string): Promise<RecordedEvent[]> => {
    const events: RecordedEvent[] = [];
    try {
      for await (const event of store.readStream(streamId)) events.push(event);
    } catch (error) {
      if ((error as Error).name !== 'StreamNotFound') throw error;
    }
    return events;
  };
  const leaseHolders = async (kind: string, id: string) =>
    (await eventsOf(`job-${kind}-${id}`))
      .filter((e) => e.type === 'JobLeaseAcquired')
      .map((e) => (e.data as { workerId: string }).workerId);

  it.each([
    [0, 1],
    [1, 0],
  ])(
    'shows a backup taken through api %i at once there, and through the other within a second',
    async (took, other) => {
      const volume = await apis[took]!.createVolume(1, `from-api-${took}`);
      const created = await apis[took]!.post('/v3/backups', { backup: { volume_id: volume.id, name: 'seen-everywhere' } });
      expect(created.status).toBe(202);
      const id = created.body.backup.id;
      const acceptedAt = Date.now();
      expect((await apis[took]!.get(`/v3/backups/${id}`)).status).toBe(200);
      await apis[other]!.waitFor(`/v3/backups/${id}`, () => true, 5_000);
      expect(Date.now() - acceptedAt).toBeLessThan(1_000);
      await apis[other]!.waitFor(`/v3/backups/${id}`, (b: any) => b.backup.status === 'available', 300_000);
    },
    400_000,
  );

  it('runs each job exactly once across the workers', async () => {
    const volumes = await Promise.all([0, 1, 0].map((api, i) => apis[api]!.createVolume(1, `job-${i}`)));
    const accepted = await Promise.all(volumes.map((volume, i) => apis[i % 2]!.createBackup(volume.id, { name: `once-${i}` }, null)));
    for (const backup of accepted) await apis[0].waitFor(`/v3/backups/${backup.id}`, (b: any) => b.backup.status === 'available', 400_000);

    for (const backup of accepted) {
      expect(await leaseHolders('backup', backup.id)).toHaveLength(1);
      const events = await eventsOf(`backup-${backup.id}`);
      expect(events.filter((e) => e.type === 'BackupStarted')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'BackupCompleted')).toHaveLength(1);
      const chunks = events.filter((e) => e.type === 'ChunkWritten').map((e) => (e.data as { objectName: string }).objectName);
      expect(new Set(chunks).size).toBe(chunks.length);
    }
    for (const volume of volumes) expect(await leaseHolders('volume', volume.id)).toHaveLength(1);
    const holders = new Set((await Promise.all(accepted.map((b) => leaseHolders('backup', b.id)))).flat());
    expect([...holders].every((holder) => workers.has(holder))).toBe(true);
  }, 600_000);

  it("hands a killed worker's running backup to the other worker, which finishes it intact", async () => {
    const volume = await apis[0].createVolume(1, 'takeover');
    const image = join(volumesPath, `volume-${volume.id}.img`);
    const handle = await open(image, 'r+');
    for (let at = 0; at < 1024; at += 128) await handle.write(randomBytes(MiB), 0, MiB, at * MiB);
    await handle.close();
    const digest = await sha256(image);

    const backup = await apis[0].createBackup(volume.id, { name: 'taken-over' }, null);
    let holders: string[] = [];
    const deadline = Date.now() + 60_000;
    while (holders.length === 0 && Date.now() < deadline) holders = await leaseHolders('backup', backup.id);
    const [first] = holders;
    expect(workers.has(first!)).toBe(true);
    await workers.get(first!)!.stop('SIGKILL');

    const done = await apis[1].waitFor(`/v3/backups/${backup.id}`, (b: any) => b.backup.status !== 'creating', 400_000);
    expect(done.backup).toMatchObject({ status: 'available', fail_reason: null });
    const leases = (await eventsOf(`job-backup-${backup.id}`)).filter((e) => e.type === 'JobLeaseAcquired').map((e) => e.data);
    expect(leases).toEqual([
      expect.objectContaining({ workerId: first, takenOverFrom: null }),
      expect.objectContaining({ workerId: [...workers.keys()].find((w) => w !== first), takenOverFrom: first }),
    ]);

    const restore = await apis[1].post(`/v3/backups/${backup.id}/restore`, { restore: { name: 'after-takeover' } });
    expect(restore.status).toBe(202);
    const target = restore.body.restore.volume_id;
    await apis[1].waitFor(`/v3/volumes/${target}`, (b: any) => b.volume.status === 'available', 300_000);
    expect(await sha256(join(volumesPath, `volume-${target}.img`))).toBe(digest);
  }, 900_000);
});
