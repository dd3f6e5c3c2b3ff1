import { OperationSlots } from './operation-slots';

/** Records the order in which places were granted. */
const grantsOf = async (places: ReturnType<OperationSlots['take']>[]) => {
  const granted: number[] = [];
  places.forEach((p, i) => void p.acquired().then(() => granted.push(i)));
  await new Promise((resolve) => setImmediate(resolve));
  return granted;
};

describe('OperationSlots (backup_max_operations)', () => {
  it('grants at most the limit at once and the rest in the order they were taken', async () => {
    const slots = new OperationSlots(2);
    const places = [0, 1, 2, 3, 4].map(() => slots.take());
    const granted = await grantsOf(places);
    expect(granted).toEqual([0, 1]);
    expect([slots.inUse, slots.queued]).toEqual([2, 3]);

    places[1]!.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(granted).toEqual([0, 1, 2]);
    places[0]!.release();
    places[2]!.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(granted).toEqual([0, 1, 2, 3, 4]);
    expect(slots.inUse).toBe(2);
  });

  it('has no limit at 0, as Cinder', async () => {
    const slots = new OperationSlots(0);
    const places = Array.from({ length: 50 }, () => slots.take());
    expect(await grantsOf(places)).toHaveLength(50);
  });

  it('gives up a place that is released before its turn, without holding up the next', async () => {
    const slots = new OperationSlots(1);
    const [a, b, c] = [slots.take(), slots.take(), slots.take()];
    const granted = await grantsOf([a, b, c]);
    b.release();
    a.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(granted).toEqual([0, 2]);
    expect([slots.inUse, slots.queued]).toEqual([1, 0]);
  });

  it('lets a cancelled job stop waiting, and counts no slot for it', async () => {
    const slots = new OperationSlots(1);
    const first = slots.take();
    const waiting = slots.take();
    const cancel = new AbortController();
    const stopped = waiting.acquired([cancel.signal]);
    cancel.abort();
    await stopped;
    waiting.release();
    expect([slots.inUse, slots.queued]).toEqual([1, 0]);
    first.release();
    expect(slots.inUse).toBe(0);
  });
});
