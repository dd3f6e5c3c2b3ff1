import type { FileHandle } from 'node:fs/promises';
import { TargetZeros } from './target-zeros';

const MiB = 1 << 20;

/** A target whose reads are counted and answer with `fill` bytes. */
const targetReading = (fill: number) => {
  const reads: number[] = [];
  const handle = {
    read: async (buffer: Buffer, offset: number, length: number, position: number) => {
      reads.push(position);
      buffer.fill(fill, offset, offset + length);
      return { bytesRead: length, buffer };
    },
  } as unknown as FileHandle;
  return { handle, reads };
};

/** TargetZeros over 4 MiB of a target whose reads are counted and answer with `fill`, its writes counted. */
const zerosOver = (fill: number, dataAtStart: { offsetBytes: number; lengthBytes: number }[] | null) => {
  const { handle, reads } = targetReading(fill);
  const writes: number[] = [];
  const zeros = new TargetZeros(handle, MiB, async (_p, at) => void writes.push(at), dataAtStart, 4 * MiB);
  return { zeros, reads, writes };
};

describe("TargetZeros: a restore's all-zero pieces on an existing target", () => {
  it('writes nothing and reads nothing where the target was a hole and the restore has not written since', async () => {
    const { zeros, reads, writes } = zerosOver(0xee, [{ offsetBytes: 3 * MiB, lengthBytes: MiB }]);

    await zeros.ensure(0, MiB);
    await zeros.ensure(2 * MiB, MiB);

    expect(reads).toEqual([]);
    expect(writes).toEqual([]);
  });

  it('reads where the target held data, and where the restore wrote since it began, and writes zeros there', async () => {
    const { zeros, reads, writes } = zerosOver(0xee, [{ offsetBytes: 3 * MiB, lengthBytes: 4096 }]);
    zeros.wrote(MiB + 32768, 32768); // an incremental's run, off the MiB grid

    await zeros.ensure(3 * MiB, MiB);
    await zeros.ensure(MiB, MiB);
    await zeros.ensure(0, MiB);

    expect(reads).toEqual([3 * MiB, MiB]);
    expect(writes).toEqual([3 * MiB, MiB]);
  });

  it('reads every piece when where the data is was not known', async () => {
    const { zeros, reads, writes } = zerosOver(0, null);

    await zeros.ensure(0, MiB);

    expect(reads).toEqual([0]);
    expect(writes).toEqual([]);
  });
});
