import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { alignedMemory, DIRECT_ALIGN_BYTES } from './direct-io';
import { DirectReads } from './direct-reads';
import { seededBytes, tempDir } from './testing/fixtures';

const PAGE = DIRECT_ALIGN_BYTES;

describe('DirectReads', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let file: string;
  let buffered: fsp.FileHandle;
  /** Three pages and 100 bytes: a volume whose end is not a whole page. */
  const bytes = seededBytes(3 * PAGE + 100, 5);
  beforeEach(async () => {
    tmp = await tempDir();
    file = path.join(tmp.dir, 'volume.img');
    await fsp.writeFile(file, bytes);
    buffered = await fsp.open(file, 'r');
  });
  afterEach(async () => {
    await buffered.close();
    await tmp.cleanup();
  });

  it("reads from a whole page into aligned memory, the part page at the end through the caller's descriptor", async () => {
    const direct = (await DirectReads.open(file, buffered))!;
    expect(direct).not.toBeNull();
    const into = alignedMemory(64 << 10);
    const tail = jest.spyOn(buffered, 'read');
    try {
      expect(await direct.read(into, 2 * PAGE, PAGE)).toBe(true);
      expect(into.subarray(0, 2 * PAGE).equals(bytes.subarray(PAGE, 3 * PAGE))).toBe(true);
      expect(tail).not.toHaveBeenCalled();

      expect(await direct.read(into, bytes.length, 0)).toBe(true);
      expect(into.subarray(0, bytes.length).equals(bytes)).toBe(true);
      expect(tail.mock.calls.map((call) => (call as unknown[]).slice(2, 4))).toEqual([[100, 3 * PAGE]]);
    } finally {
      await direct.close();
    }
  });

  it('leaves less than a page, and a position off a page, to the caller', async () => {
    const direct = (await DirectReads.open(file, buffered))!;
    const into = alignedMemory(64 << 10);
    try {
      expect(await direct.read(into, PAGE - 1, 0)).toBe(false);
      expect(await direct.read(into, PAGE, 512)).toBe(false);
      expect(into.every((b) => b === 0)).toBe(true);
    } finally {
      await direct.close();
    }
  });

  it('fails naming the byte where the volume ended earlier than promised', async () => {
    const direct = (await DirectReads.open(file, buffered))!;
    try {
      await expect(direct.read(alignedMemory(64 << 10), 2 * PAGE, 2 * PAGE)).rejects.toThrow(
        `unexpected end of volume at byte ${3 * PAGE + 100}`,
      );
      await expect(direct.read(alignedMemory(64 << 10), 2 * PAGE + 10, 2 * PAGE)).rejects.toThrow(
        `unexpected end of volume at byte ${3 * PAGE + 100}`,
      );
    } finally {
      await direct.close();
    }
  });

  it('leaves memory not known to start on a page to the caller, and goes on reading directly', async () => {
    const direct = (await DirectReads.open(file, buffered))!;
    try {
      expect(await direct.read(alignedMemory(64 << 10).subarray(1, PAGE + 1), PAGE, 0)).toBe(false);
      expect(await direct.readSome(Buffer.alloc(PAGE), 0)).toBeNull();
      expect(await direct.read(alignedMemory(64 << 10), PAGE, 0)).toBe(true);
    } finally {
      await direct.close();
    }
  });

  it('gives direct reads up for good when the kernel refuses one, leaving that piece to the caller', async () => {
    const direct = (await DirectReads.open(file, buffered))!;
    // What a device whose logical block is larger than a page answers (none here to ask).
    const refusal = Object.assign(new Error('EINVAL: invalid argument, read'), { code: 'EINVAL' });
    jest.spyOn((direct as unknown as { direct: fsp.FileHandle }).direct, 'read').mockRejectedValueOnce(refusal);
    try {
      expect(await direct.read(alignedMemory(64 << 10), PAGE, 0)).toBe(false);
      expect(await direct.read(alignedMemory(64 << 10), PAGE, 0)).toBe(false);
      expect(await direct.readSome(alignedMemory(64 << 10), 0)).toBeNull();
    } finally {
      await direct.close();
    }
  });

  it('reads some of an object as read(2) does: fewer bytes at its end, none past it', async () => {
    const direct = (await DirectReads.open(file, buffered))!;
    const into = alignedMemory(64 << 10);
    try {
      expect(await direct.readSome(into.subarray(0, 2 * PAGE), 0)).toBe(2 * PAGE);
      expect(await direct.readSome(into, 2 * PAGE)).toBe(PAGE + 100);
      expect(into.subarray(0, PAGE + 100).equals(bytes.subarray(2 * PAGE))).toBe(true);
      expect(await direct.readSome(into, 4 * PAGE)).toBe(0);
      expect(await direct.readSome(into, 3 * PAGE + 100)).toBeNull();
    } finally {
      await direct.close();
    }
  });

  it('is not opened when STRATA_DIRECT_IO=0, nor for a file that is not there', async () => {
    const before = process.env.STRATA_DIRECT_IO;
    process.env.STRATA_DIRECT_IO = '0';
    try {
      expect(await DirectReads.open(file, buffered)).toBeNull();
    } finally {
      if (before === undefined) delete process.env.STRATA_DIRECT_IO;
      else process.env.STRATA_DIRECT_IO = before;
    }
    expect(await DirectReads.open(path.join(tmp.dir, 'missing.img'), buffered)).toBeNull();
  });
});
