import { StreamPlans } from './stream-plans';

describe('StreamPlans: what an import knows of each stream of its file', () => {
  it('given streams new to this store, counts every event the file gives them as new', () => {
    const plans = new StreamPlans();
    plans.add('volume-a', -1n);
    plans.add('backup-b', -1n);
    for (const stream of ['volume-a', 'volume-a', 'backup-b', 'volume-a']) plans.advance(stream);

    expect({ size: plans.size, a: plans.nextRevisionInFile('volume-a'), b: plans.nextRevisionInFile('backup-b') }).toEqual({
      size: 2,
      a: 3,
      b: 1,
    });
    expect(plans.isPresentHere('volume-a', 0)).toBe(false);
    expect(plans.newEvents()).toBe(4);
  });

  it('given a stream this store holds up to revision 1, its first two events are present here and the rest are new', () => {
    const plans = new StreamPlans();
    plans.add('volume-a', 1n);
    for (let i = 0; i < 5; i += 1) plans.advance('volume-a');

    expect([0, 1, 2].map((revision) => plans.isPresentHere('volume-a', revision))).toEqual([true, true, false]);
    expect(plans.newEvents()).toBe(3);
  });

  it('given a store ahead of the file, counts nothing new for that stream', () => {
    const plans = new StreamPlans();
    plans.add('volume-a', 7n);
    plans.advance('volume-a');

    expect(plans.newEvents()).toBe(0);
  });

  it('remembers a conflict per stream', () => {
    const plans = new StreamPlans();
    plans.add('volume-a', 0n);
    plans.add('volume-b', 0n);
    plans.markConflicting('volume-a');

    expect([plans.isConflicting('volume-a'), plans.isConflicting('volume-b'), plans.has('volume-c')]).toEqual([true, false, false]);
  });
});
