import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { finished } from 'node:stream/promises';
import { InvalidContainer } from '../errors';
import { tempDir } from '../testing/fixtures';
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
  afterEach(() => tmp.cleanup());

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

  it('refuses an object name with a slash', async () => {
    await repository.ensureContainer('c');
    await expect(repository.openWriter('c', '../x')).rejects.toThrow('Invalid object name');
  });
});
