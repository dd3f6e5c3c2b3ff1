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

  describe('renewed by beacon (a lease held for the life of the process)', () => {
    const beacon = { renewBy: 'beacon' as const };
    const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

    it('renews beside the log: holding the lease appends no event but its taking and its release', async () => {
      const holder = await leasesOf('w1', 0.06).acquire(subject, meta, beacon);
      for (let i = 0; i < 6; i++) {
        clock += 20;
        await sleep(25); // a renewal every 20 ms
      }

      expect(holder!.signal.aborted).toBe(false);
      await holder!.release();
      expect((await leaseEvents()).map((e) => e.type)).toEqual(['JobLeaseAcquired', 'JobLeaseReleased']);
    });

    it("refuses the lease to another worker while the holder's beats are fresh, though its last event has expired", async () => {
      const holder = await leasesOf('w1', 0.06).acquire(subject, meta, beacon);
      clock += 1_000; // long past the expiry its acquisition recorded
      await sleep(40); // ...but it beat since, at the clock's new time

      expect(await leasesOf('w2', 0.06).acquire(subject, meta, beacon)).toBeNull();
      await holder!.release();
    });

    it('is taken over once the beats stop, and the old holder learns it at its next beat and abandons the job', async () => {
      let beatsFail = false;
      // w1's store loses its beats for a moment (a stalled disk, a paused process): nothing else changes.
      const stalling = new Proxy(store, {
        get: (target, key) => {
          if (key === 'writeBeacon' && beatsFail) return () => Promise.reject(new Error('stalled'));
          const value = Reflect.get(target, key) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const old = await new JobLeases({ store: stalling, workerId: 'w1', leaseSeconds: 0.3, now: () => new Date(clock) }).acquire(
        subject,
        meta,
        beacon,
      );
      beatsFail = true;
      clock += 10_000; // no beat for many leases, as the others see it

      const taker = await leasesOf('w2', 0.3).acquire(subject, meta, beacon);
      expect(taker!.takenOverFrom).toBe('w1');
      beatsFail = false;

      await new Promise((ok) => old!.signal.addEventListener('abort', ok));
      expect(isAbandoned(old!.signal)).toBe(true);
      expect((old!.signal.reason as Error).message).toContain('(now w2)');
      await old!.release(); // records nothing: w1 no longer holds the job
      await taker!.release();
      expect((await leaseEvents()).map((e) => `${e.type}:${e.workerId}`)).toEqual([
        'JobLeaseAcquired:w1',
        'JobLeaseAcquired:w2',
        'JobLeaseReleased:w2',
      ]);
    });
  });
});
