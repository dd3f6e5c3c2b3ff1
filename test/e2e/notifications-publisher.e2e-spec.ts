import { connect, type ChannelModel } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { rabbitmq } from '../support/rabbitmq';
import { startStrata, type RunningStrata } from './support/strata-app';
import { WorkerProcess } from './support/worker-process';

/** A notification as it is on the wire, before any consumer could drop a repeat. */
interface WireNotification {
  readonly messageId: string;
  readonly publisherId: string;
  readonly eventType: string;
  readonly volumeId: string;
}

/**
 * Exactly one publisher among several processes: two standalone workers with notifications on share the
 * api's log and compete for the notifier lease. A plain AMQP queue bound beside oslo's sees every message
 * the broker got (oslo's listener would drop a repeat), so a second publisher would show as a second copy.
 */
describe('the notifier among several worker processes', () => {
  const run = randomBytes(4).toString('hex');
  const exchange = `strata-e2e-pub-${run}`;
  const topic = `notifications-${run}`;
  const wire: WireNotification[] = [];
  let broker: ChannelModel;
  let strata: RunningStrata;
  const workers: WorkerProcess[] = [];

  const notifying = (host: string) => ({
    STRATA_NOTIFICATION_DRIVER: 'messagingv2',
    STRATA_TRANSPORT_URL: rabbitmq.url,
    STRATA_CONTROL_EXCHANGE: exchange,
    STRATA_NOTIFICATION_TOPICS: topic,
    STRATA_HOST: host,
    STRATA_WORKER_ID: host,
    STRATA_WORKER_LEASE_SECONDS: '3',
    STRATA_LOG_LEVEL: 'info',
  });

  /** Waits until the wire carries these volumes' create.start and create.end. */
  const untilCreated = async (volumeIds: readonly string[]) => {
    const deadline = Date.now() + 120_000;
    const done = () =>
      volumeIds.every((id) =>
        ['volume.create.start', 'volume.create.end'].every((t) => wire.some((n) => n.volumeId === id && n.eventType === t)),
      );
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`notifications of ${volumeIds.join(', ')} never came; wire: ${JSON.stringify(wire)}`);
      await sleep(100);
    }
  };
  const of = (volumeIds: readonly string[]) => wire.filter((n) => volumeIds.includes(n.volumeId));

  beforeAll(async () => {
    await rabbitmq.start();
    broker = await connect(rabbitmq.url.replace(/^rabbit:/, 'amqp:'));
    const channel = await broker.createChannel();
    await channel.assertExchange(exchange, 'topic', { durable: false, autoDelete: false });
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, exchange, `${topic}.info`);
    await channel.consume(
      queue,
      (m) => {
        if (!m) return;
        const message = JSON.parse(JSON.parse(m.content.toString('utf8'))['oslo.message']);
        wire.push({
          messageId: message.message_id,
          publisherId: message.publisher_id,
          eventType: message.event_type,
          volumeId: message.payload.volume_id,
        });
      },
      { noAck: true },
    );
    // The api (with its embedded worker) publishes nothing: only the two worker processes can.
    strata = await startStrata({ STRATA_HOST: 'node-api', STRATA_WORKER_ID: 'node-api', STRATA_WORKER_LEASE_SECONDS: '3' });
    for (const host of ['node-b', 'node-c']) {
      const worker = new WorkerProcess(strata.stateDir, {
        ...notifying(host),
        STRATA_BACKUP_FILE_SIZE: String(64 * 1024 * 1024),
        STRATA_MANAGED_VOLUME_PATHS: strata.managedDir,
      });
      workers.push(worker);
      await worker.start(120_000);
    }
  }, 300_000);

  afterAll(async () => {
    for (const w of workers) await w.stop();
    await strata?.close();
    await broker?.close();
  }, 120_000);

  it('sends each notification once, from one of them, and the other takes over when that one dies', async () => {
    const first = [];
    for (let i = 0; i < 3; i++) first.push((await strata.client.createVolume(1, `pub-${i}`)).id);
    await untilCreated(first);
    // Let a duplicate, if there were a second publisher, arrive before counting.
    await sleep(2_000);
    const sent = of(first);
    expect(sent).toHaveLength(6);
    expect(new Set(sent.map((n) => n.messageId)).size).toBe(6);
    const publishers = new Set(sent.map((n) => n.publisherId.replace(/^volume\./, '')));
    expect(publishers.size).toBe(1);
    const [publisher] = [...publishers];
    expect(['node-b', 'node-c']).toContain(publisher);

    // SIGKILL the publisher: its lease expires and the other worker goes on from the checkpoint.
    await workers.find((_, i) => ['node-b', 'node-c'][i] === publisher)!.kill();
    const after = [];
    for (let i = 0; i < 2; i++) after.push((await strata.client.createVolume(1, `pub-after-${i}`)).id);
    await untilCreated(after);
    await sleep(2_000);
    const survivor = publisher === 'node-b' ? 'node-c' : 'node-b';
    expect(new Set(of(after).map((n) => n.publisherId))).toEqual(new Set([`volume.${survivor}`]));
    // Nothing lost; a notification the dead one may have sent without checkpointing comes again with its id.
    const ids = new Set(of([...first, ...after]).map((n) => n.messageId));
    expect(ids.size).toBe(10);
  }, 300_000);
});
