import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { finished } from 'node:stream/promises';
import { InvalidContainer } from '../errors';
import { alignedMemory } from '../direct-io';
import { DirectReads } from '../direct-reads';
import { seededBytes, tempDir } from '../testing/fixtures';
import { PosixRepository } from './posix.repository';

describe('PosixRepository', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let root: string;
  let repository: PosixRepository;
  beforeEach(async () => {
    tmp = await tempDir();
    root = path.join(tmp.dir, 'repo');
    await fsp.mkdir(root);
    repository = new PosixRepository(root);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    return tmp.cleanup();
  });

  it('creates container directories 0770 and objects 0660 (test_put_container, test_get_object_writer)', async () => {
    const old = process.umask(0o077);
    try {
      await repository.ensureContainer('bb/bb/backup');
      const writer = await repository.openWriter('bb/bb/backup', 'p-00001');
      writer.end('x');
      await finished(writer);
    } finally {
      process.umask(old);
    }
    expect((await fsp.stat(path.join(root, 'bb/bb/backup'))).mode & 0o777).toBe(0o770);
    expect((await fsp.stat(path.join(root, 'bb'))).mode & 0o777).toBe(0o770);
    expect((await fsp.stat(path.join(root, 'bb/bb/backup/p-00001'))).mode & 0o777).toBe(0o660);
  });

  it("leaves an existing directory's mode alone", async () => {
    await fsp.mkdir(path.join(root, 'mine'), { mode: 0o755 });
    await fsp.chmod(path.join(root, 'mine'), 0o755);
    await repository.ensureContainer('mine');
    expect((await fsp.stat(path.join(root, 'mine'))).mode & 0o777).toBe(0o755);
  });

  it.each([
    ['..', '".." may not appear'],
    ['a/../../b', '".." may not appear'],
    ['/etc', 'relative to the repository root'],
    ['a\0b', 'NUL'],
    ['', 'empty'],
    ['./', 'repository root itself'],
  ])('refuses the container %j', async (container, reason) => {
    await expect(repository.ensureContainer(container)).rejects.toThrow(InvalidContainer);
    await expect(repository.ensureContainer(container)).rejects.toThrow(reason);
  });

  it('refuses a container that leads outside the root through a symlink, creating nothing outside', async () => {
    const outside = path.join(tmp.dir, 'outside');
    await fsp.mkdir(outside);
    await fsp.symlink(outside, path.join(root, 'escape'));

    await expect(repository.ensureContainer('escape/deeper')).rejects.toThrow('leads outside the repository root');
    await expect(repository.openWriter('escape', 'p-00001')).rejects.toThrow(InvalidContainer);
    expect(await fsp.readdir(outside)).toEqual([]);
  });

  it('reads an object in turn into any memory: whole pages into page-aligned memory directly, the rest through the page cache', async () => {
    const object = seededBytes(3 * 4096 + 100, 3);
    await repository.putObject('c', 'p-00001', object);
    const direct = jest.spyOn(DirectReads.prototype, 'readSome');
    const bytes = await repository.openByteReader('c', 'p-00001');
    const aligned = alignedMemory(64 << 10);
    const plain = Buffer.alloc(4096 + 50);
    try {
      expect(await bytes.read(aligned.subarray(0, 8192))).toBe(8192);
      expect(aligned.subarray(0, 8192).equals(object.subarray(0, 8192))).toBe(true);
      expect(await bytes.read(plain)).toBe(4096 + 50);
      expect(await bytes.read(aligned)).toBe(50);
      expect(await bytes.read(aligned)).toBe(0);
    } finally {
      await bytes.close();
    }

    expect(plain.equals(object.subarray(8192, 8192 + 4096 + 50))).toBe(true);
    expect(aligned.subarray(0, 50).equals(object.subarray(3 * 4096 + 50))).toBe(true);
    // Only the first read was direct: the second was into memory not known to be aligned, the others at an odd position.
    expect(await Promise.all(direct.mock.results.map((r) => r.value as Promise<number | null>))).toEqual([8192, null, null, null]);
  });

  it('opens no direct descriptor for an object read only into memory that is not page-aligned (a small object read whole)', async () => {
    const object = seededBytes(5000, 4);
    await repository.putObject('c', 'p-00002', object);
    const opened = jest.spyOn(DirectReads, 'open');
    const bytes = await repository.openByteReader('c', 'p-00002');
    const into = Buffer.alloc(8192);
    try {
      expect(await bytes.read(into)).toBe(5000);
      expect(await bytes.read(into.subarray(5000))).toBe(0);
    } finally {
      await bytes.close();
    }

    expect(into.subarray(0, 5000).equals(object)).toBe(true);
    expect(opened).not.toHaveBeenCalled();
  });

  it('refuses an object name with a slash', async () => {
    await repository.ensureContainer('c');
    await expect(repository.openWriter('c', '../x')).rejects.toThrow('Invalid object name');
  });
});
