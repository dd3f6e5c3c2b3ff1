import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { DirectReads } from './direct-reads';
import { alignedMemory } from './direct-io';
import { DIRECT_ALIGN_BYTES, DirectAppender, DirectWrites } from './direct-writes';
import { PosixRepository } from './repositories/posix.repository';
import { runRestore } from './restore-engine';
import { driverWorld, header, seededBytes, smallOptions, tempDir } from './testing/fixtures';

const PAGE = DIRECT_ALIGN_BYTES;

/** Runs `fn` with STRATA_DIRECT_IO set as given, and puts it back. */
const withDirectIo = async <T>(value: string | undefined, fn: () => Promise<T>): Promise<T> => {
  const before = process.env.STRATA_DIRECT_IO;
  if (value === undefined) delete process.env.STRATA_DIRECT_IO;
  else process.env.STRATA_DIRECT_IO = value;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.STRATA_DIRECT_IO;
    else process.env.STRATA_DIRECT_IO = before;
  }
};

describe('DirectWrites', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let file: string;
  beforeEach(async () => {
    tmp = await tempDir();
    file = path.join(tmp.dir, 'target.img');
    await fsp.writeFile(file, Buffer.alloc(4 * PAGE, 0x55));
  });
  afterEach(() => tmp.cleanup());

  it('writes whole pages at a whole page, and hands anything else back to the caller untouched', async () => {
    const direct = (await DirectWrites.open(file))!;
    expect(direct).not.toBeNull();
    try {
      expect(await direct.write(Buffer.alloc(2 * PAGE, 0xaa), PAGE)).toBe(true);
      expect(await direct.write(Buffer.alloc(PAGE - 1, 0xbb), 0)).toBe(false);
      expect(await direct.write(Buffer.alloc(PAGE, 0xcc), 512)).toBe(false);
    } finally {
      await direct.close();
    }
    expect(await fsp.readFile(file)).toEqual(
      Buffer.concat([Buffer.alloc(PAGE, 0x55), Buffer.alloc(2 * PAGE, 0xaa), Buffer.alloc(PAGE, 0x55)]),
    );
  });

  it('gives direct writes up for good when the kernel refuses one, leaving that piece to the caller', async () => {
    const direct = (await DirectWrites.open(file))!;
    try {
      // Memory off a page boundary: O_DIRECT refuses it (EINVAL), as it would a file system's larger alignment.
      const misaligned = Buffer.alloc(2 * PAGE, 0xdd).subarray(1, PAGE + 1);
      expect(await direct.writeAligned(misaligned, 0)).toBe(false);
      expect(await direct.write(Buffer.alloc(PAGE, 0xee), 0)).toBe(false);
    } finally {
      await direct.close();
    }
    expect(await fsp.readFile(file)).toEqual(Buffer.alloc(4 * PAGE, 0x55));
  });

  it('is not opened when STRATA_DIRECT_IO=0, nor for what is not a regular file', async () => {
    expect(await withDirectIo('0', () => DirectWrites.open(file))).toBeNull();
    expect(await DirectWrites.open(tmp.dir)).toBeNull();
    expect(await DirectWrites.open(path.join(tmp.dir, 'missing.img'))).toBeNull();
  });
});

describe('DirectAppender', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('writes a file from start to end in whole pages, the last part page through the caller', async () => {
    const file = path.join(tmp.dir, 'object');
    await fsp.writeFile(file, '');
    const handle = await fsp.open(file, 'r+');
    const buffered: { position: number; length: number }[] = [];
    const appender = new DirectAppender((await DirectWrites.open(file))!, async (bytes, position) => {
      buffered.push({ position, length: bytes.length });
      await handle.write(bytes, 0, bytes.length, position);
    });
    // Chunks of every size a compressor hands over, across the 4 MiB the appender gathers at a time.
    const chunks = [1, 4095, 3 << 20, 1234567, 7, 5 << 20, 999].map((n, i) => seededBytes(n, i));
    for (const chunk of chunks) await appender.append(chunk);
    await appender.end();
    await appender.close();
    await handle.close();

    const whole = Buffer.concat(chunks);
    expect((await fsp.readFile(file)).equals(whole)).toBe(true);
    expect(buffered).toEqual([{ position: whole.length - (whole.length % PAGE), length: whole.length % PAGE }]);
  });
});

describe('DirectAppender given whole pages in aligned memory', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('writes them as they are while nothing is gathered, and gathers everything after a part page, in order', async () => {
    const file = path.join(tmp.dir, 'object');
    await fsp.writeFile(file, '');
    const handle = await fsp.open(file, 'r+');
    const direct = (await DirectWrites.open(file))!;
    const written = jest.spyOn(direct, 'writeAligned');
    const appender = new DirectAppender(direct, async (bytes, position) => {
      await handle.write(bytes, 0, bytes.length, position);
    });
    const memory = alignedMemory(1 << 20);
    const pages = (n: number, seed: number, at: number) => {
      const view = memory.subarray(at, at + n * PAGE);
      seededBytes(n * PAGE, seed).copy(view);
      return view;
    };
    const first = pages(3, 1, 0);
    const second = pages(2, 2, 8 * PAGE);
    const odd = seededBytes(100, 3);
    const after = pages(1, 4, 16 * PAGE);
    const expected = Buffer.concat([first, second, odd, after]);

    await appender.append(first);
    await appender.append(second);
    await appender.append(odd);
    await appender.append(after);
    await appender.end();
    await appender.close();
    await handle.close();

    expect((await fsp.readFile(file)).equals(expected)).toBe(true);
    // The first two went out from the caller's memory itself; the last, after 100 bytes, was gathered.
    const calls = written.mock.calls.map(([bytes, position]) => ({
      same: bytes === first || bytes === second,
      length: bytes.length,
      position,
    }));
    expect(calls).toEqual([
      { same: true, length: 3 * PAGE, position: 0 },
      { same: true, length: 2 * PAGE, position: 3 * PAGE },
      { same: false, length: PAGE, position: 5 * PAGE },
    ]);
  });
});

describe('backups read, and restores and backup objects written, with direct I/O', () => {
  let w: Awaited<ReturnType<typeof driverWorld>>;
  beforeEach(async () => {
    w = await driverWorld();
  });
  afterEach(() => {
    jest.restoreAllMocks();
    return w.cleanup();
  });

  const backupAndRestore = async () => {
    // A MiB of data (a whole-page write), a MiB of zeros (a hole), then a MiB and 100 bytes (not whole pages).
    const volume = seededBytes((3 << 20) + 100, 9);
    volume.fill(0, 1 << 20, 2 << 20);
    await fsp.writeFile(w.volumePath, volume);
    const at = await w.backup(header(), smallOptions({ compression: 'none', objectSizeBytes: 4 << 20 }));
    const target = path.join(w.dir, 'restored.img');
    await runRestore({ repository: w.repository, chain: [at], target: { path: target, isNew: true }, workers: 1 });
    return { volume, restored: await fsp.readFile(target) };
  };

  it('reads the volume, and writes the object and the restored volume byte for byte, their whole pages directly', async () => {
    const opened = jest.spyOn(DirectWrites, 'open');
    const direct = jest.spyOn(DirectWrites.prototype, 'writeAligned');
    const reads = jest.spyOn(DirectReads.prototype, 'read');
    expect(w.repository).toBeInstanceOf(PosixRepository);
    const { volume, restored } = await backupAndRestore();
    expect(restored.equals(volume)).toBe(true);
    // The object's file (the data object, not the metadata written whole) and the restore's target.
    const files = opened.mock.calls.map(([file]) => path.basename(file));
    expect(files).toEqual([expect.stringMatching(/_backup_bbbbbbbb-.*-00001$/), 'restored.img']);
    expect(await Promise.all(opened.mock.results.map((r) => r.value as Promise<DirectWrites | null>))).not.toContain(null);
    const results = await Promise.all(direct.mock.results.map((r) => r.value as Promise<boolean>));
    expect(results.length).toBeGreaterThanOrEqual(2);
    expect(results.every((done) => done)).toBe(true);
    // The volume read directly, in one piece (its last 100 bytes, not a whole page, through the page cache).
    const read = await Promise.all(reads.mock.results.map((r) => r.value as Promise<boolean>));
    expect(read).toEqual([true]);
  });

  it('reads and writes them all through the page cache with STRATA_DIRECT_IO=0', async () => {
    const direct = jest.spyOn(DirectWrites.prototype, 'writeAligned');
    const reads = jest.spyOn(DirectReads.prototype, 'read');
    const { volume, restored } = await withDirectIo('0', backupAndRestore);
    expect(restored.equals(volume)).toBe(true);
    expect(direct).not.toHaveBeenCalled();
    expect(reads).not.toHaveBeenCalled();
  });
});
