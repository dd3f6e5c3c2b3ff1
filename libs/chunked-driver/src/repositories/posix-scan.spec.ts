import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GOLDEN_DIR } from '../testing/fixtures';
import { scanPosixRepository, type ScannedBackup } from './posix-scan';

const scan = async (root: string) => {
  const found: ScannedBackup[] = [];
  for await (const b of scanPosixRepository(root)) found.push(b);
  return found.sort((a, b) => (a.container < b.container ? -1 : 1));
};

describe('scanPosixRepository', () => {
  it("finds both backups of Cinder's golden repository, complete, with their containers and ids", async () => {
    expect(await scan(join(GOLDEN_DIR, 'repo'))).toEqual([
      {
        container: '0f/0f/0f0f0f0f-1111-4111-8111-000000000001',
        backupId: '0f0f0f0f-1111-4111-8111-000000000001',
        prefix: 'volume_5a5a5a5a-2222-4222-8222-000000000001_20261127171944_backup_0f0f0f0f-1111-4111-8111-000000000001',
        hasMetadata: true,
        hasSha256File: true,
        dataObjects: 1,
      },
      {
        container: '0f/0f/0f0f0f0f-1111-4111-8111-000000000002',
        backupId: '0f0f0f0f-1111-4111-8111-000000000002',
        prefix: 'volume_5a5a5a5a-2222-4222-8222-000000000001_20261127171949_backup_0f0f0f0f-1111-4111-8111-000000000002',
        hasMetadata: true,
        hasSha256File: true,
        dataObjects: 3,
      },
    ]);
  });

  it('reports a backup without _metadata, two backups sharing a container, and ignores other files', async () => {
    const root = mkdtempSync(join(tmpdir(), 'strata-scan-'));
    mkdirSync(join(root, 'shared'));
    const a = 'volume_v_20260101000000_backup_aaaaaaaa-0000-4000-8000-000000000001';
    const b = 'volume_v_20260101000001_backup_bbbbbbbb-0000-4000-8000-000000000002';
    for (const name of [`${a}-00001`, `${a}-00002`, `${a}_sha256file`, `${a}_metadata`, `${b}-00001`, 'README'])
      writeFileSync(join(root, 'shared', name), 'x');
    expect(await scan(root)).toEqual([
      {
        container: 'shared',
        prefix: a,
        backupId: 'aaaaaaaa-0000-4000-8000-000000000001',
        hasMetadata: true,
        hasSha256File: true,
        dataObjects: 2,
      },
      {
        container: 'shared',
        prefix: b,
        backupId: 'bbbbbbbb-0000-4000-8000-000000000002',
        hasMetadata: false,
        hasSha256File: false,
        dataObjects: 1,
      },
    ]);
  });
});
