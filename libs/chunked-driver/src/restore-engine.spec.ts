import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { PosixRepository } from './repositories/posix.repository';
import { runRestore } from './restore-engine';
import { goldenDir, tempDir } from './testing/fixtures';

const golden = {
  full: {
    container: '0f/0f/0f0f0f0f-1111-4111-8111-000000000001',
    prefix: 'volume_5a5a5a5a-2222-4222-8222-000000000001_20261127171944_backup_0f0f0f0f-1111-4111-8111-000000000001',
  },
  incr: {
    container: '0f/0f/0f0f0f0f-1111-4111-8111-000000000002',
    prefix: 'volume_5a5a5a5a-2222-4222-8222-000000000001_20261127171949_backup_0f0f0f0f-1111-4111-8111-000000000002',
  },
};

describe('runRestore of the golden Cinder repository', () => {
  const repository = new PosixRepository(path.join(goldenDir(), 'repo'));
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => { tmp = await tempDir(); });
  afterEach(() => tmp.cleanup());

  it('restores the full backup to orig.img byte for byte', async () => {
    const target = path.join(tmp.dir, 'restored.img');
    await runRestore({ repository, chain: [golden.full], target: { path: target, isNew: true } });
    expect((await fsp.readFile(target)).equals(await fsp.readFile(path.join(goldenDir(), 'orig.img')))).toBe(true);
  });

  it('restores the incremental to mod.img byte for byte', async () => {
    const target = path.join(tmp.dir, 'restored.img');
    await runRestore({ repository, chain: [golden.full, golden.incr], target: { path: target, isNew: true } });
    expect((await fsp.readFile(target)).equals(await fsp.readFile(path.join(goldenDir(), 'mod.img')))).toBe(true);
  });
});
