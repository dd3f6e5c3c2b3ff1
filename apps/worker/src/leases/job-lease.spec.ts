import type { EventMeta, JobSubject } from '@strata/domain';
import { jobLeaseStreamId } from '@strata/domain';
import { openMemoryEventStore, type EventStore } from '@strata/event-store';
import { isAbandoned, JobLeases } from './job-lease';

const subject: JobSubject = { kind: 'backup', id: 'b0000000-0000-4000-8000-000000000001' };
const meta: EventMeta = { correlationId: 'c', causationId: 'c', userId: 'strata-worker', projectId: 'strata', requestId: 'r' };

describe('JobLeases', () => {
  let store: EventStore;
  let clock: number;
  const leasesOf = (workerId: string, leaseSeconds = 60) => new JobLeases({ store, workerId, leaseSeconds, now: () => new Date(clock) });
  const leaseEvents = async () => {
    const events: { type: string; workerId: string }[] = [];
    for await (const e of store.readStream(jobLeaseStreamId(subject)))
      events.push({ type: e.type, workerId: (e.data as { workerId: string }).workerId });
    return events;
  };
  beforeEach(() => {
    store = openMemoryEventStore();
    clock = Date.parse('2026-11-27T10:00:00.000Z');
  });
  afterEach(() => store.close());

  it('gives a job to exactly one of several workers that ask at once', async () => {
    const held = await Promise.all(['w1', 'w2', 'w3'].map((w) => leasesOf(w).acquire(subject, meta)));

    expect(held.filter((l) => l !== null)).toHaveLength(1);
    expect((await leaseEvents()).map((e) => e.type)).toEqual(['JobLeaseAcquired']);
    await Promise.all(held.map((l) => l?.release()));
  });

  it('lets another worker take the job once its holder releases it', async () => {
    const first = await leasesOf('w1').acquire(subject, meta);
    await first!.release();

    const second = await leasesOf('w2').acquire(subject, meta);

    expect(second).not.toBeNull();
    expect(second!.takenOverFrom).toBeNull();
    await second!.release();
    expect(await leaseEvents()).toEqual([
      { type: 'JobLeaseAcquired', workerId: 'w1' },
      { type: 'JobLeaseReleased', workerId: 'w1' },
      { type: 'JobLeaseAcquired', workerId: 'w2' },
      { type: 'JobLeaseReleased', workerId: 'w2' },
    ]);
  });

  it('takes over a job whose worker stopped renewing, and the old holder then abandons it', async () => {
    const old = await leasesOf('w1', 1).acquire(subject, meta);
    clock += 5_000; // w1's lease (1 s) ran out without a renewal the others can see

    const taker = await leasesOf('w2', 1).acquire(subject, meta);

    expect(taker!.takenOverFrom).toBe('w1');
    await new Promise((ok) => old!.signal.addEventListener('abort', ok));
    expect(isAbandoned(old!.signal)).toBe(true);
    await old!.release(); // records nothing: w1 no longer holds the job
    await taker!.release();
    expect((await leaseEvents()).map((e) => `${e.type}:${e.workerId}`)).toEqual([
      'JobLeaseAcquired:w1',
      'JobLeaseAcquired:w2',
      'JobLeaseReleased:w2',
    ]);
  });

  it('leaves a job held by a live worker alone', async () => {
    const holder = await leasesOf('w1').acquire(subject, meta);
    clock += 30_000;

    expect(await leasesOf('w2').acquire(subject, meta)).toBeNull();
    await holder!.release();
  });
});
