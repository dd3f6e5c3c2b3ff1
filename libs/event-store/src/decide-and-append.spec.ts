import { randomUUID } from 'node:crypto';
import { decideAndAppend } from './decide-and-append';
import { loadState } from './load-state';
import type { Decider } from './decider';
import type { EventStore, ReadStreamOptions } from './event-store.port';
import { openMemoryEventStore } from './memory/memory-event-store';
import { spyOnReads } from './testing/read-spy';

/** A tiny counter domain: `Add` is refused past a limit, so decisions depend on the state read. */
type CounterEvent = { type: 'Added'; data: { by: number } } | { type: 'LimitReached'; data: { total: number } };
type Add = { by: number; limit: number };

const counter: Decider<Add, number, CounterEvent> = {
  initialState: () => 0,
  evolve: (total, event) => (event.type === 'Added' ? total + event.data.by : total),
  decide: ({ by, limit }, total) => (total + by > limit ? [{ type: 'LimitReached', data: { total } }] : [{ type: 'Added', data: { by } }]),
};

const added = (by: number) => ({ id: randomUUID(), type: 'Added', data: { by } });
const meta = { correlationId: 'corr-1', userId: 'user-1' };

const eventsOf = async (store: EventStore, streamId: string) => {
  const events = [];
  for await (const event of store.readStream(streamId)) events.push(event);
  return events;
};

/**
 * The real memory store, with a rival writer that appends to the same stream right after each of the
 * first `times` reads: the interleaving of two handlers, made deterministic.
 */
const withRivalAfterReads = (store: EventStore, times: number): EventStore => {
  let rivals = 0;
  return Object.assign(Object.create(store) as EventStore, {
    async *readStream(streamId: string, options?: ReadStreamOptions) {
      try {
        yield* store.readStream(streamId, options);
      } finally {
        if (rivals++ < times) await store.appendToStream(streamId, [added(1)]);
      }
    },
  });
};

/** The store without `findEvent`, as EventStoreDB's adapter is: a keyed command reads its stream to find its events. */
const withoutFindEvent = (store: EventStore): EventStore => Object.assign(Object.create(store) as EventStore, { findEvent: undefined });

describe('decideAndAppend', () => {
  let store: EventStore;
  beforeEach(() => {
    store = openMemoryEventStore();
  });
  afterEach(() => store.close());

  it('starts a missing stream from the initial state with no_stream', async () => {
    const result = await decideAndAppend(store, 'counter-1', counter, { by: 2, limit: 10 }, meta);
    expect(result).toMatchObject({ streamId: 'counter-1', nextExpectedRevision: 0n, position: 1n });
    expect((await eventsOf(store, 'counter-1')).map((e) => e.data)).toEqual([{ by: 2 }]);
  });

  it('decides on the state folded from the stream and appends at its revision', async () => {
    await store.appendToStream('counter-1', [added(6), added(3)]);
    const result = await decideAndAppend(store, 'counter-1', counter, { by: 2, limit: 10 }, meta);
    expect(result.events.map((e) => e.type)).toEqual(['LimitReached']);
    expect(result.events[0]!.data).toEqual({ total: 9 });
    expect(result.nextExpectedRevision).toBe(2n);
  });

  it('puts the metadata on every appended event and returns what it appended', async () => {
    const twice: Decider<Add, number, CounterEvent> = {
      ...counter,
      decide: ({ by }) => [
        { type: 'Added', data: { by } },
        { type: 'Added', data: { by } },
      ],
    };
    const result = await decideAndAppend(store, 'counter-1', twice, { by: 1, limit: 10 }, meta);
    const recorded = await eventsOf(store, 'counter-1');
    expect(recorded.map((e) => e.metadata)).toEqual([meta, meta]);
    expect(recorded.map((e) => e.id)).toEqual(result.events.map((e) => e.id));
  });

  it('uses the injected id generator for event ids', async () => {
    let n = 0;
    const result = await decideAndAppend(store, 'counter-1', counter, { by: 1, limit: 10 }, meta, { newEventId: () => `id-${++n}` });
    expect(result.events.map((e) => e.id)).toEqual(['id-1']);
  });

  it('re-reads and re-decides after losing a race, never re-sending the stale decision', async () => {
    const racy = withRivalAfterReads(store, 1);
    await store.appendToStream('counter-1', [added(8)]);
    const result = await decideAndAppend(racy, 'counter-1', counter, { by: 2, limit: 10 }, meta);
    // The first decision (8 + 2 fits) lost to the rival's +1; the second sees 9 and refuses.
    expect((await eventsOf(store, 'counter-1')).map((e) => e.type)).toEqual(['Added', 'Added', 'LimitReached']);
    expect(result.events[0]!.data).toEqual({ total: 9 });
  });

  it('lets WrongExpectedVersion out when conflicts outlive maxRetries, having appended nothing of its own', async () => {
    const racy = withRivalAfterReads(store, 3);
    await expect(decideAndAppend(racy, 'counter-1', counter, { by: 100, limit: 1000 }, meta, { maxRetries: 2 })).rejects.toMatchObject({
      name: 'WrongExpectedVersion',
      stream: 'counter-1',
    });
    expect((await eventsOf(store, 'counter-1')).map((e) => e.data)).toEqual([{ by: 1 }, { by: 1 }, { by: 1 }]);
  });

  it('appends nothing when decide throws', async () => {
    const refusing: Decider<Add, number, CounterEvent> = {
      ...counter,
      decide: () => {
        throw new RangeError('refused');
      },
    };
    await expect(decideAndAppend(store, 'counter-1', refusing, { by: 1, limit: 1 }, meta)).rejects.toThrow('refused');
    expect(await store.headPosition()).toBe(0n);
  });

  it('appends nothing and reports the stream as it is when decide returns no events', async () => {
    await store.appendToStream('counter-1', [added(1)]);
    const idle: Decider<Add, number, CounterEvent> = { ...counter, decide: () => [] };
    const result = await decideAndAppend(store, 'counter-1', idle, { by: 1, limit: 1 }, meta);
    expect(result).toEqual({
      streamId: 'counter-1',
      folded: { state: 1, revision: 0n, position: 1n },
      nextExpectedRevision: 0n,
      position: 1n,
      events: [],
    });
  });

  it('returns the original result for a repeated command with the same idempotency key', async () => {
    const command = { by: 4, limit: 10 };
    const first = await decideAndAppend(store, 'counter-1', counter, command, meta, { idempotencyKey: 'request-7' });
    await store.appendToStream('counter-1', [added(1)]);
    const again = await decideAndAppend(store, 'counter-1', counter, command, meta, { idempotencyKey: 'request-7' });
    // The same outcome; only the fold it was found in differs (the stream has grown since).
    const { folded: _first, ...outcome } = first;
    const { folded: _again, ...outcomeAgain } = again;
    expect(outcomeAgain).toEqual(outcome);
    expect(await eventsOf(store, 'counter-1')).toHaveLength(2);
  });

  describe('given what an earlier call folded of the stream (`known`)', () => {
    it("reads only what was appended since, another writer's events included, and decides on all of it", async () => {
      await store.appendToStream('counter-1', [added(6)]);
      const first = await decideAndAppend(store, 'counter-1', counter, { by: 3, limit: 10 }, meta);
      await store.appendToStream('counter-1', [added(1)]);
      const { store: spied, reads } = spyOnReads(store);

      const result = await decideAndAppend(spied, 'counter-1', counter, { by: 2, limit: 10 }, meta, { known: first.folded });

      // Folded before: 6 at revision 0; read since: its own +3 and the other writer's +1, so 10 + 2 is refused.
      expect(reads.map((r) => r.options)).toEqual([{ fromRevision: 1n }]);
      expect(result.events.map((e) => [e.type, e.data])).toEqual([['LimitReached', { total: 10 }]]);
      expect(result.folded).toEqual({ state: 10, revision: 2n, position: 3n });
      expect(result.nextExpectedRevision).toBe(3n);
    });

    it('is not used with an idempotency key, whose earlier events are looked for in the whole stream', async () => {
      const first = await decideAndAppend(store, 'counter-1', counter, { by: 1, limit: 10 }, meta);
      const { store: spied, reads } = spyOnReads(withoutFindEvent(store));

      await decideAndAppend(spied, 'counter-1', counter, { by: 1, limit: 10 }, meta, { known: first.folded, idempotencyKey: 'request-8' });

      expect(reads.map((r) => r.options)).toEqual([undefined]);
    });

    it('is not used after a lost race: the fold read then goes on, through the rival’s append', async () => {
      await store.appendToStream('counter-1', [added(1)]);
      const first = await decideAndAppend(store, 'counter-1', counter, { by: 7, limit: 10 }, meta);
      const { store: spied, reads } = spyOnReads(withRivalAfterReads(store, 1));

      const result = await decideAndAppend(spied, 'counter-1', counter, { by: 2, limit: 10 }, meta, { known: first.folded });

      // The first read folded +7 at revision 1; the retry reads on from it (checking it is still there).
      expect(reads.map((r) => r.options)).toEqual([{ fromRevision: 1n }, { fromRevision: 1n }]);
      expect(result.events[0]!.data).toEqual({ total: 9 });
    });

    it('goes on from a state that is null', async () => {
      // Ended for good once the limit is reached: null, and nothing more is decided.
      const ending: Decider<Add, number | null, CounterEvent> = {
        initialState: () => 0,
        evolve: (total, event) => (event.type === 'LimitReached' || total === null ? null : total + event.data.by),
        decide: (_, total) => (total === null ? [] : [{ type: 'Added', data: { by: 1 } }]),
      };
      await store.appendToStream('counter-1', [added(1), { id: randomUUID(), type: 'LimitReached', data: { total: 1 } }]);
      const first = await decideAndAppend(store, 'counter-1', ending, { by: 1, limit: 1 }, meta);

      const result = await decideAndAppend(store, 'counter-1', ending, { by: 1, limit: 1 }, meta, { known: first.folded });

      expect(first.folded.state).toBeNull();
      expect(result.events).toEqual([]);
    });

    it('folds a stream deleted since from the initial state', async () => {
      const first = await decideAndAppend(store, 'counter-1', counter, { by: 9, limit: 10 }, meta);
      await store.deleteStream('counter-1');

      const loaded = await loadState(store, 'counter-1', counter, undefined, first.folded);

      expect(loaded).toEqual({ state: 0, revision: -1n, position: 0n });
    });
  });

  describe('the fold this process kept of a stream', () => {
    it('is carried on with what was appended since, from the event it ended at, by any writer', async () => {
      const { store: spied, reads } = spyOnReads(store);
      await decideAndAppend(spied, 'counter-1', counter, { by: 6, limit: 10 }, meta);
      await decideAndAppend(spied, 'counter-1', counter, { by: 1, limit: 10 }, meta);
      await store.appendToStream('counter-1', [added(2)]);

      const result = await decideAndAppend(spied, 'counter-1', counter, { by: 2, limit: 10 }, meta);

      // The second call folded +6 (revision 0); the third reads from there: +1 and the other writer's +2.
      expect(reads.map((r) => r.options)).toEqual([undefined, undefined, { fromRevision: 0n }]);
      expect(result.events.map((e) => [e.type, e.data])).toEqual([['LimitReached', { total: 9 }]]);
      expect(result.folded).toEqual({ state: 9, revision: 2n, position: 3n });
    });

    it('is dropped for a stream soft-deleted and started again since, which is folded from its start', async () => {
      const { store: spied, reads } = spyOnReads(store);
      await decideAndAppend(spied, 'counter-1', counter, { by: 5, limit: 10 }, meta);
      await decideAndAppend(spied, 'counter-1', counter, { by: 4, limit: 10 }, meta);
      await store.deleteStream('counter-1');
      await store.appendToStream('counter-1', [added(3)]);

      const result = await decideAndAppend(spied, 'counter-1', counter, { by: 8, limit: 10 }, meta);

      // Kept: 5 at revision 0, which the delete hid; read again from the start, the stream holds +3 only.
      expect(reads.map((r) => r.options)).toEqual([undefined, undefined, { fromRevision: 0n }, undefined]);
      expect(result.events.map((e) => [e.type, e.data])).toEqual([['LimitReached', { total: 3 }]]);
    });

    it('is dropped for a stream soft-deleted since, which folds to the initial state', async () => {
      await decideAndAppend(store, 'counter-1', counter, { by: 5, limit: 10 }, meta);
      await decideAndAppend(store, 'counter-1', counter, { by: 4, limit: 10 }, meta);
      await store.deleteStream('counter-1');

      expect(await loadState(store, 'counter-1', counter)).toEqual({ state: 0, revision: -1n, position: 0n });
    });
  });

  describe('with an idempotency key, on a store that finds events by id (`findEvent`) and on one that does not', () => {
    it.each([
      ['finds them', (inner: EventStore) => inner],
      ['reads its stream', withoutFindEvent],
    ])('returns what a repeated command recorded, and only that, on a store that %s', async (_, storeOf) => {
      const keyed = storeOf(store);
      const command = { by: 4, limit: 10 };
      const first = await decideAndAppend(keyed, 'counter-1', counter, command, meta, { idempotencyKey: 'request-7' });
      await store.appendToStream('counter-1', [added(1)]);
      await decideAndAppend(keyed, 'counter-1', counter, { by: 1, limit: 10 }, meta, { idempotencyKey: 'request-8' });

      const again = await decideAndAppend(keyed, 'counter-1', counter, command, meta, { idempotencyKey: 'request-7' });

      expect(again.events).toEqual(first.events);
      expect([again.nextExpectedRevision, again.position]).toEqual([first.nextExpectedRevision, first.position]);
      expect(again.folded).toEqual({ state: 6, revision: 2n, position: 3n });
      expect(await eventsOf(store, 'counter-1')).toHaveLength(3);
    });

    it.each([
      ['finds them', (inner: EventStore) => inner],
      ['reads its stream', withoutFindEvent],
    ])(
      'does not find a command’s events a soft delete hid (its ids stay taken: the append is refused), on a store that %s',
      async (_, storeOf) => {
        const keyed = storeOf(store);
        await decideAndAppend(keyed, 'counter-1', counter, { by: 4, limit: 10 }, meta, { idempotencyKey: 'request-7' });
        await store.deleteStream('counter-1');
        await store.appendToStream('counter-1', [added(1)]);

        const again = await decideAndAppend(keyed, 'counter-1', counter, { by: 4, limit: 10 }, meta, {
          idempotencyKey: 'request-7',
          newEventId: randomUUID,
        }).catch((error: unknown) => error);

        // The key's ids are taken in the log (the embedded stores' ids are unique in it): the append is refused.
        expect(again).toMatchObject({ name: 'DuplicateEventId' });
      },
    );
  });

  it('folds a soft-deleted stream from the initial state and continues its revisions', async () => {
    await store.appendToStream('counter-1', [added(9)]);
    await store.deleteStream('counter-1');
    const result = await decideAndAppend(store, 'counter-1', counter, { by: 5, limit: 10 }, meta);
    expect(result.events.map((e) => e.type)).toEqual(['Added']);
    expect(result.nextExpectedRevision).toBe(1n);
  });
});
