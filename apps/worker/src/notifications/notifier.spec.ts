import type { NotificationSettings } from '@strata/domain';
import { openMemoryEventStore, type EventStore } from '@strata/event-store';
import { readNotifierCheckpoint } from '@strata/workflows';
import { JobLeases } from '../leases/job-lease';
import type { NotificationPublisher } from './amqp-publisher';
import { Notifier } from './notifier';
import { notificationMessageId, type OsloMessage } from './oslo-message';

/** A broker that is up or down, and keeps what it confirmed. */
class FakeBroker implements NotificationPublisher {
  up = true;
  readonly confirmed: OsloMessage[] = [];
  connected = true;
  async publish(messages: readonly OsloMessage[]) {
    await Promise.resolve();
    if (!this.up) throw new Error('ECONNREFUSED');
    this.confirmed.push(...messages);
  }
  async close() {}
  get eventTypes() {
    return this.confirmed.map((m) => (JSON.parse(JSON.parse(m.body)['oslo.message']) as { event_type: string }).event_type);
  }
}

const settings: NotificationSettings = {
  host: 'h',
  progressTimerEnabled: () => false,
  timerIntervalSeconds: 120,
  objectsPerNotification: 10,
};

const eventually = async (done: () => boolean | Promise<boolean>) => {
  while (!(await done())) await new Promise((r) => setTimeout(r, 5));
};

const volumeId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
let eventCounter = 0;
const eventId = () => `e0000000-0000-4000-8000-${String(++eventCounter).padStart(12, '0')}`;

/** A volume created and provisioned: two notifications, volume.create.start and volume.create.end. */
const createVolume = async (store: EventStore, n: number) => {
  const id = volumeId(n);
  const created = {
    id: eventId(),
    type: 'VolumeCreated',
    data: {
      volumeId: id,
      projectId: 'p',
      userId: 'u',
      name: `v${n}`,
      description: null,
      sizeGb: 1,
      availabilityZone: 'nova',
      volumeType: null,
      encryptionKeyId: null,
      metadata: {},
      source: { kind: 'blank' },
      createdAt: '2026-12-04T10:00:00.000Z',
    },
  };
  const provisioned = {
    id: eventId(),
    type: 'VolumeProvisioned',
    data: {
      volumeId: id,
      location: { kind: 'file', path: `/v/${id}`, sizeBytes: 1 << 30, owned: true },
      sizeGb: 1,
      provisionedAt: '2026-12-04T10:00:01.000Z',
    },
  };
  await store.appendToStream(`volume-${id}`, [created]);
  await store.appendToStream(`volume-${id}`, [provisioned]);
  return { created, provisioned };
};

describe('Notifier', () => {
  let store: EventStore;
  const running: Notifier[] = [];
  const notifier = (broker: NotificationPublisher, workerId = 'w1', start = true) => {
    const n = new Notifier({
      store,
      leases: new JobLeases({ store, workerId, leaseSeconds: 60, now: () => new Date() }),
      publisher: broker,
      settings,
      now: () => new Date(),
      leaseRetryMs: 20,
      minRetryMs: 5,
      maxRetryMs: 20,
      batchEvents: 100,
      quietCheckpointMs: 0,
      pollMs: 5,
    });
    running.push(n);
    if (start) n.start();
    return n;
  };
  beforeEach(() => {
    store = openMemoryEventStore();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((n) => n.stop()));
    await store.close();
  });

  it('holds the notifications while the broker is away and checkpoints only what it confirmed, then sends them in log order', async () => {
    const broker = new FakeBroker();
    broker.up = false;
    const n = notifier(broker);
    await createVolume(store, 1);
    await createVolume(store, 2);
    await eventually(() => n.counts.publishFailures >= 2);
    expect((await readNotifierCheckpoint(store)).through).toBeNull();

    broker.up = true;
    await eventually(() => broker.confirmed.length === 4);
    expect(broker.eventTypes).toEqual(['volume.create.start', 'volume.create.end', 'volume.create.start', 'volume.create.end']);
    await eventually(async () => (await readNotifierCheckpoint(store)).through !== null);
  });

  it('gives each notification the message_id of its event, and a restarted notifier goes on from the checkpoint', async () => {
    const first = new FakeBroker();
    const a = notifier(first);
    const { created, provisioned } = await createVolume(store, 1);
    await eventually(() => first.confirmed.length === 2);
    expect(first.confirmed.map((m) => m.messageId)).toEqual([
      notificationMessageId(created.id, 0),
      notificationMessageId(provisioned.id, 0),
    ]);
    await eventually(async () => (await readNotifierCheckpoint(store)).through !== null);
    await a.stop();

    await createVolume(store, 2);
    const second = new FakeBroker();
    notifier(second, 'w2');
    await eventually(() => second.confirmed.length === 2);
    expect(second.confirmed.map((m) => JSON.parse(JSON.parse(m.body)['oslo.message']).payload.volume_id)).toEqual([
      volumeId(2),
      volumeId(2),
    ]);
  });

  it('publishes from exactly one of several processes', async () => {
    const brokers = [new FakeBroker(), new FakeBroker(), new FakeBroker()];
    brokers.forEach((b, i) => notifier(b, `w${i}`));
    for (let i = 1; i <= 5; i++) await createVolume(store, i);
    await eventually(() => brokers.some((b) => b.confirmed.length === 10));
    await eventually(async () => (await readNotifierCheckpoint(store)).through !== null);
    expect(brokers.map((b) => b.confirmed.length).sort((x, y) => x - y)).toEqual([0, 0, 10]);
  });

  it('announces nothing of the history of a log it is turned on for, and everything after', async () => {
    await createVolume(store, 1);
    const broker = new FakeBroker();
    const n = notifier(broker, 'w1', false);
    await n.initialize();
    n.start();
    await createVolume(store, 2);
    await eventually(() => broker.confirmed.length === 2);
    expect(broker.confirmed.map((m) => JSON.parse(JSON.parse(m.body)['oslo.message']).payload.volume_id)).toEqual([
      volumeId(2),
      volumeId(2),
    ]);
  });
});
