import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../testing/fixtures';
import { writerThreads } from './posix-writer-threads';

describe('POSIX writer threads', () => {
  it('write a whole file durably, with the mode asked for', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const file = path.join(dir, 'object-00001');

      await writerThreads.write(file, dir, Buffer.from('payload'), 0o660);

      expect(await fsp.readFile(file, 'utf8')).toBe('payload');
      expect((await fsp.stat(file)).mode & 0o777).toBe(0o660);
    } finally {
      await cleanup();
    }
  });

  it('write a view of a shared buffer without copying it first', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const shared = Buffer.from(new SharedArrayBuffer(16));
      shared.write('..shared bytes..');
      const file = path.join(dir, 'object-00002');

      await writerThreads.write(file, dir, shared.subarray(2, 14), 0o640);

      expect(await fsp.readFile(file, 'utf8')).toBe('shared bytes');
    } finally {
      await cleanup();
    }
  });

  it('report a failure with its errno code', async () => {
    await expect(writerThreads.write('/nonexistent-dir/x', '/nonexistent-dir', Buffer.from('x'), 0o660)).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
