import type { FileHandle } from 'node:fs/promises';
import { BackgroundWriteback } from './background-writeback';

/** A file handle whose fdatasync calls finish when the test says so. */
const fakeHandle = () => {
  const syncs: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const handle = {
    datasync: () => new Promise<void>((resolve, reject) => syncs.push({ resolve, reject })),
  } as unknown as FileHandle;
  return { handle, syncs };
};

const tick = () => new Promise((r) => setImmediate(r));

describe('BackgroundWriteback', () => {
  it('starts an fdatasync once enough was written, and no second one while it runs', async () => {
    const { handle, syncs } = fakeHandle();
    const writeback = new BackgroundWriteback(handle, 100);

    writeback.wrote(60);
    expect(syncs).toHaveLength(0);
    writeback.wrote(40);
    expect(syncs).toHaveLength(1);
    writeback.wrote(500);
    expect(syncs).toHaveLength(1); // one at a time: the disk sets the pace

    syncs[0]!.resolve();
    await tick();
    writeback.wrote(100);
    expect(syncs).toHaveLength(2);
    syncs[1]!.resolve();
    await expect(writeback.settle()).resolves.toBeUndefined();
  });

  it('throws a failed fdatasync from settle, since the final fsync would not report it again', async () => {
    const { handle, syncs } = fakeHandle();
    const writeback = new BackgroundWriteback(handle, 10);

    writeback.wrote(10);
    syncs[0]!.reject(new Error('EIO: i/o error, fdatasync'));
    await tick();
    writeback.wrote(10); // a later writeback succeeds; the first failure still stands
    syncs[1]!.resolve();

    await expect(writeback.settle()).rejects.toThrow('EIO');
  });

  it('paced: waits for the writeback in flight before starting the next, and fails on one that failed', async () => {
    const { handle, syncs } = fakeHandle();
    const writeback = new BackgroundWriteback(handle, 10);

    await writeback.wrotePaced(10);
    expect(syncs).toHaveLength(1);
    let second = false;
    const next = writeback.wrotePaced(10).then(() => (second = true));
    await tick();
    expect([second, syncs.length]).toEqual([false, 1]); // the writer waits for the disk
    syncs[0]!.resolve();
    await next;
    expect(syncs).toHaveLength(2);

    syncs[1]!.reject(new Error('EIO: i/o error, fdatasync'));
    await expect(writeback.wrotePaced(10)).rejects.toThrow('EIO');
  });
});
