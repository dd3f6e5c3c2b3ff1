import { inOrderWindow } from './ordered-window';

/** A task per item that finishes when the test says so. */
const controlled = (n: number) => {
  const release: (() => void)[] = [];
  const fail: ((e: Error) => void)[] = [];
  const started: number[] = [];
  const task = (_item: number, index: number) =>
    new Promise<void>((resolve, reject) => {
      started.push(index);
      release[index] = resolve;
      fail[index] = reject;
    });
  return { items: Array.from({ length: n }, (_, i) => i), task, release, fail, started };
};

const tick = () => new Promise((r) => setImmediate(r));

describe('inOrderWindow', () => {
  it('keeps at most `width` tasks running, started in order', async () => {
    const c = controlled(5);
    const run = inOrderWindow(c.items, 2, c.task, () => undefined);
    await tick();
    expect(c.started).toEqual([0, 1]);
    c.release[1]!();
    await tick();
    expect(c.started).toEqual([0, 1]); // item 0 still runs: the window is counted from the oldest unsettled
    c.release[0]!();
    await tick();
    expect(c.started).toEqual([0, 1, 2, 3]);
    for (const i of [2, 3]) c.release[i]!();
    await tick();
    c.release[4]!();
    await run;
  });

  it('settles items in order even when later ones finish first', async () => {
    const c = controlled(3);
    const settled: number[] = [];
    const run = inOrderWindow(c.items, 3, c.task, (_, i) => {
      settled.push(i);
    });
    c.release[2]!();
    c.release[1]!();
    await tick();
    expect(settled).toEqual([]);
    c.release[0]!();
    await run;
    expect(settled).toEqual([0, 1, 2]);
  });

  it('after a failure starts and settles nothing more, waits for the running tasks and throws the first error', async () => {
    const c = controlled(6);
    const settled: number[] = [];
    const run = inOrderWindow(c.items, 3, c.task, (_, i) => {
      settled.push(i);
    });
    const outcome = run.then(
      () => null,
      (e: Error) => e,
    );
    await tick();
    c.fail[1]!(new Error('object 1 is damaged'));
    c.release[0]!();
    await tick();
    let done = false;
    void outcome.then(() => (done = true));
    await tick();
    expect(done).toBe(false); // item 2 still runs
    c.release[2]!();
    const error = await outcome;
    expect(error?.message).toBe('object 1 is damaged');
    expect(c.started).toEqual([0, 1, 2]);
    expect(settled).toEqual([]); // item 0 finished, but the restore fails: no checkpoint is taken on the way out
  });

  it('fails when a settle fails, once the running tasks have finished', async () => {
    const c = controlled(4);
    const run = inOrderWindow(c.items, 3, c.task, () => {
      throw new Error('cancelled');
    });
    const outcome = run.then(
      () => null,
      (e: Error) => e,
    );
    c.release[0]!();
    await tick();
    let done = false;
    void outcome.then(() => (done = true));
    await tick();
    expect(done).toBe(false); // items 1 and 2 still run
    c.release[1]!();
    c.release[2]!();
    expect((await outcome)?.message).toBe('cancelled');
    expect(c.started).toEqual([0, 1, 2]);
  });

  it('waits for each settle before settling the next', async () => {
    const order: string[] = [];
    await inOrderWindow(
      [0, 1],
      2,
      async (_, i) => {
        order.push(`task ${i}`);
      },
      async (_, i) => {
        order.push(`settle ${i} begins`);
        await tick();
        order.push(`settle ${i} ends`);
      },
    );
    expect(order).toEqual(['task 0', 'task 1', 'settle 0 begins', 'settle 0 ends', 'settle 1 begins', 'settle 1 ends']);
  });
});
