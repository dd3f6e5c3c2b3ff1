import { openMemoryEventStore, type Decider, type EventStore } from '@strata/event-store';
import { spyOnReads, type SpiedRead } from '@strata/event-store/testing/read-spy';
import { JobRecorder } from './job-recorder';

/** A counter: each step adds one and says how many there were before. */
type Counted = { type: 'Counted'; data: { before: number } };
const counter: Decider<null, number, Counted> = {
  initialState: () => 0,
  evolve: (n) => n + 1,
  decide: (_, n) => [{ type: 'Counted', data: { before: n } }],
};

const cause = {
  eventId: 'trigger-1',
  meta: { correlationId: 'c-1', causationId: 'c-0', userId: 'u-1', projectId: 'p-1', requestId: 'r-1' },
};

describe("a job's recorder", () => {
  let inner: EventStore;
  let reads: SpiedRead[];
  let store: EventStore;
  beforeEach(() => {
    inner = openMemoryEventStore();
    ({ store, reads } = spyOnReads(inner));
  });
  afterEach(() => inner.close());

  it('reads a stream whole for its first step there, then only what was appended after its last', async () => {
    await inner.appendToStream('counter-1', [{ id: 'e-1', type: 'Counted', data: { before: 0 } }]);
    const recorder = new JobRecorder(store, cause);

    await recorder.record('counter-1', counter, null);
    await inner.appendToStream('counter-1', [{ id: 'e-3', type: 'Counted', data: { before: 2 } }]);
    const third = await recorder.record('counter-1', counter, null);

    expect(reads.map((r) => r.options)).toEqual([undefined, { fromRevision: 1n }]);
    // Its own step and the other writer's were both read: the decision saw three before it.
    expect(third.events.map((e) => e.data)).toEqual([{ before: 3 }]);
  });

  it('reads the stream whole again for another decider; a keyed step reads on from the fold the process kept', async () => {
    const recorder = new JobRecorder(store, cause);
    const other: Decider<null, number, Counted> = { ...counter, evolve: (n) => n + 1 };

    await recorder.record('counter-1', counter, null);
    await recorder.record('counter-1', other, null);
    await recorder.record('counter-1', other, null, 'step-3');

    // The key's events are looked for by id (`findEvent`), not by reading the stream from its start.
    expect(reads.map((r) => r.options)).toEqual([undefined, undefined, { fromRevision: 0n }]);
  });
});
