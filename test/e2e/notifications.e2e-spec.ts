import { randomBytes } from 'node:crypto';
import { cinderBackupUsageKeys, OsloListener, rabbitmq, type ReceivedNotification } from '../support/rabbitmq';
import { startStrata, type RunningStrata } from './support/strata-app';
import { imageOf, writeAt } from './support/volume-image';

const MiB = 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** oslo's timestamp: str(datetime.utcnow()). */
const OSLO_TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$/;

/**
 * Strata publishes Cinder's notifications to a real RabbitMQ (scripts/rabbitmq.sh) and oslo.messaging's own
 * notification listener receives them. Each run uses its own exchange and topic, so nothing else's
 * messages mix in. One file, run in order: the second test stops the broker the first one used.
 */
describe("Cinder's notifications on RabbitMQ, received by oslo.messaging's listener", () => {
  const run = randomBytes(4).toString('hex');
  const exchange = `strata-e2e-${run}`;
  const topic = `notifications-${run}`;
  let listener: OsloListener;
  let strata: RunningStrata;

  beforeAll(async () => {
    await rabbitmq.start();
    listener = await OsloListener.start(rabbitmq.url, exchange, topic);
    strata = await startStrata({
      STRATA_NOTIFICATION_DRIVER: 'messagingv2',
      STRATA_TRANSPORT_URL: rabbitmq.url,
      STRATA_CONTROL_EXCHANGE: exchange,
      STRATA_NOTIFICATION_TOPICS: topic,
      STRATA_HOST: 'strata-e2e',
      // 64 MiB chunks: a full backup of 1 GiB is 16 chunks, so 4 progress notifications by count.
      STRATA_BACKUP_OBJECT_NUMBER_PER_NOTIFICATION: '4',
      // Timed progress depends on how fast the machine is: counted here by chunks alone.
      STRATA_BACKUP_ENABLE_PROGRESS_TIMER: 'false',
    });
  }, 180_000);

  afterAll(async () => {
    await strata?.close();
    await listener?.stop();
    await rabbitmq.start(); // left running, as scripts/test.sh started it
  }, 180_000);

  const ofBackup = (id: string) => listener.received.filter((n) => n.payload.backup_id === id);
  const typesOf = (notes: readonly ReceivedNotification[]) => notes.map((n) => n.event_type);
  const received = (type: string, key: string, id: string) => (all: readonly ReceivedNotification[]) =>
    all.some((n) => n.event_type === type && n.payload[key] === id);

  it('sends a backup, an incremental, a restore, a reset and the deletions, in order, with the payload Cinder builds', async () => {
    const { client } = strata;
    const volume = await client.createVolume(1, 'data');
    await writeAt(imageOf(strata, volume.id), 0, randomBytes(2 * MiB));
    const full = await client.createBackup(volume.id, { name: 'full' });
    await writeAt(imageOf(strata, volume.id), 300 * MiB, randomBytes(MiB));
    const incremental = await client.createBackup(volume.id, { name: 'incr', incremental: true });
    expect([full.status, incremental.status]).toEqual(['available', 'available']);

    expect((await client.post(`/v3/backups/${full.id}/restore`, { restore: { volume_id: volume.id } })).status).toBe(202);
    await client.waitFor(`/v3/volumes/${volume.id}`, (b: any) => b.volume.status === 'available');
    await client.waitFor(`/v3/backups/${full.id}`, (b: any) => b.backup.status === 'available');
    expect((await client.post(`/v3/backups/${incremental.id}/action`, { 'os-reset_status': { status: 'error' } })).status).toBe(202);
    expect((await client.delete(`/v3/backups/${incremental.id}`)).status).toBe(202);
    await client.waitFor(`/v3/backups/detail`, (b: any) => !b.backups.some((x: any) => x.id === incremental.id));
    expect((await client.delete(`/v3/backups/${full.id}`)).status).toBe(202);
    await listener.until(received('backup.delete.end', 'backup_id', full.id));

    const fullNotes = ofBackup(full.id);
    expect(typesOf(fullNotes)).toEqual([
      'backup.create.start',
      ...Array<string>(4).fill('backup.createprogress'), // after chunks 4, 8, 12 and 16
      'backup.createprogress', // the driver's last one, 100 %
      'backup.create.end',
      'backup.restore.start',
      'backup.restore.end',
      'backup.delete.start',
      'backup.delete.end',
    ]);
    expect(fullNotes.filter((n) => n.event_type === 'backup.createprogress').map((n) => n.payload.backup_percent)).toEqual([
      25, 50, 75, 100, 100,
    ]);
    const incrTypes = typesOf(ofBackup(incremental.id));
    expect(incrTypes[0]).toBe('backup.create.start');
    expect(incrTypes.slice(-5)).toEqual([
      'backup.create.end',
      'backup.reset_status.start',
      'backup.reset_status.end',
      'backup.delete.start',
      'backup.delete.end',
    ]);

    // The payload has exactly the keys Cinder's own _usage_from_backup builds (run from Debian's Cinder).
    const cinderKeys = await cinderBackupUsageKeys();
    for (const n of [...fullNotes, ...ofBackup(incremental.id)].filter((x) => x.event_type !== 'backup.createprogress'))
      expect(Object.keys(n.payload).sort()).toEqual(cinderKeys);
    const byType = (notes: readonly ReceivedNotification[], type: string) => notes.find((n) => n.event_type === type)!;
    expect(byType(fullNotes, 'backup.create.end').payload).toMatchObject({
      backup_id: full.id,
      volume_id: volume.id,
      display_name: 'full',
      status: 'available',
      size: 1,
      host: 'strata-e2e',
      availability_zone: 'nova',
      parent_id: null,
      snapshot_id: null,
      fail_reason: null,
      service: 'cinder.backup.drivers.posix.PosixBackupDriver',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/),
    });
    expect(byType(fullNotes, 'backup.create.end').payload.service_metadata).toMatch(
      new RegExp(`^volume_${volume.id}_\\d{14}_backup_${full.id}$`),
    );
    expect(byType(fullNotes, 'backup.restore.start').payload).toMatchObject({ status: 'restoring', num_dependent_backups: 1 });
    expect(byType(fullNotes, 'backup.delete.start').payload).toMatchObject({ status: 'deleting', num_dependent_backups: 0 });
    expect(byType(ofBackup(incremental.id), 'backup.create.start').payload).toMatchObject({ parent_id: full.id, status: 'creating' });
    expect(byType(ofBackup(incremental.id), 'backup.reset_status.start').payload.status).toBe('available');
    expect(byType(ofBackup(incremental.id), 'backup.reset_status.end').payload.status).toBe('error');

    // oslo's envelope, as the listener decoded it: publisher, priority, message id and timestamp.
    for (const n of fullNotes) {
      expect(n).toMatchObject({ priority: 'info', publisher_id: 'backup.strata-e2e' });
      expect(n.metadata.message_id).toMatch(UUID);
      expect(n.metadata.timestamp).toMatch(OSLO_TIMESTAMP);
    }
    const volumeTypes = typesOf(listener.received.filter((n) => n.payload.volume_id === volume.id && n.publisher_id.startsWith('volume.')));
    expect(volumeTypes.slice(0, 2)).toEqual(['volume.create.start', 'volume.create.end']);
    expect(new Set(listener.received.map((n) => n.metadata.message_id)).size).toBe(listener.received.length);
  }, 300_000);

  it('keeps serving while RabbitMQ is down, reports the backlog, and sends every notification once when it returns', async () => {
    const { client } = strata;
    const volume = await client.createVolume(1, 'outage');
    // Incompressible data over half the volume: the backup runs for seconds, longer than the broker takes to stop.
    const piece = randomBytes(64 * MiB);
    for (let i = 0; i < 8; i++) await writeAt(imageOf(strata, volume.id), i * 64 * MiB, piece);
    const before = await client.createBackup(volume.id, { name: 'before' }, null);
    await listener.until(received('backup.create.start', 'backup_id', before.id));

    const brokerStopping = Date.now();
    await rabbitmq.stop();
    // Requests and jobs go on: a backup is taken and a volume created while the broker is away.
    await client.waitFor(`/v3/backups/${before.id}`, (b: any) => b.backup.status === 'available');
    const during = await client.createBackup(volume.id, { name: 'during' });
    expect(during.status).toBe('available');
    const second = await client.createVolume(1, 'made-during-outage');
    expect(second.status).toBe('available');

    const lag = async () => {
      const text = (await client.get('/metrics')).body as string;
      return Number(/^strata_notifications_lag_events (\d+)$/m.exec(text)?.[1]);
    };
    expect(await lag()).toBeGreaterThan(0);
    const ready = await client.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
    expect(ready.body.notifications.lagEvents).toBeGreaterThan(0);
    expect(ready.body.notifications.pending).toContain('not yet notified');

    await rabbitmq.start();
    await listener.until(received('volume.create.end', 'volume_id', second.id));

    for (const backup of [before, during])
      expect(typesOf(ofBackup(backup.id))).toEqual([
        'backup.create.start',
        ...Array<string>(4).fill('backup.createprogress'),
        'backup.createprogress',
        'backup.create.end',
      ]);
    // Nothing twice: every message_id once (Strata resends with the same id; oslo's listener drops repeats).
    const ids = listener.received.map((n) => n.metadata.message_id);
    expect(new Set(ids).size).toBe(ids.length);
    await client.waitFor('/readyz', (b: any) => b.notifications.lagEvents === 0);
    // Mid-backup: "before" was still running when the broker began to stop, so its progress and create.end
    // crossed the outage.
    const { events } = (await client.get(`/strata/v1/backups/${before.id}/events?limit=1000`)).body as {
      events: { type: string; data: { completedAt?: string } }[];
    };
    expect(Date.parse(events.find((e) => e.type === 'BackupCompleted')!.data.completedAt!)).toBeGreaterThan(brokerStopping);
  }, 300_000);

  it("paces timed progress notifications by backup_timer_interval, as the recorded chunks' times say", async () => {
    await strata.close();
    strata = await startStrata({
      STRATA_NOTIFICATION_DRIVER: 'messagingv2',
      STRATA_TRANSPORT_URL: rabbitmq.url,
      STRATA_CONTROL_EXCHANGE: exchange,
      STRATA_NOTIFICATION_TOPICS: topic,
      STRATA_HOST: 'strata-e2e',
      STRATA_BACKUP_ENABLE_PROGRESS_TIMER: 'true',
      STRATA_BACKUP_TIMER_INTERVAL: '1',
      STRATA_BACKUP_OBJECT_NUMBER_PER_NOTIFICATION: '1000',
    });
    const { client } = strata;
    const volume = await client.createVolume(1, 'timed');
    await writeAt(imageOf(strata, volume.id), 0, randomBytes(8 * MiB));
    const backup = await client.createBackup(volume.id, { name: 'timed' });
    await listener.until(received('backup.create.end', 'backup_id', backup.id));

    // From the log: one notification for each chunk recorded in a later interval than the one before.
    const { events } = (await client.get(`/strata/v1/backups/${backup.id}/events?limit=1000`)).body as {
      events: { type: string; data: { startedAt?: string; writtenAt?: string } }[];
    };
    const startedAt = Date.parse(events.find((e) => e.type === 'BackupStarted')!.data.startedAt!);
    let ticks = 0;
    let timed = 0;
    for (const e of events.filter((x) => x.type === 'ChunkWritten')) {
      const t = Math.floor((Date.parse(e.data.writtenAt!) - startedAt) / 1000);
      if (t > ticks) [ticks, timed] = [t, timed + 1];
    }
    const progress = ofBackup(backup.id).filter((n) => n.event_type === 'backup.createprogress');
    expect(progress).toHaveLength(timed + 1);
    expect(progress[progress.length - 1].payload.backup_percent).toBe(100);
  }, 300_000);
});
