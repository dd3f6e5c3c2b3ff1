import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { runBackup } from './backup-engine';
import { POSIX_DEFAULTS } from './driver-options';
import { parseMetadata } from './metadata-file';
import { metadataObjectName, sha256ObjectName } from './object-names';
import { PosixRepository } from './repositories/posix.repository';
import { parseSha256File } from './sha256-file';
import { goldenDir, tempDir } from './testing/fixtures';

const GOLDEN = [
  {
    container: '0f/0f/0f0f0f0f-1111-4111-8111-000000000001',
    image: 'orig.img',
    createdAt: '2026-11-27T17:19:44.579568',
    prefix: 'volume_5a5a5a5a-2222-4222-8222-000000000001_20261127171944_backup_0f0f0f0f-1111-4111-8111-000000000001',
  },
  {
    container: '0f/0f/0f0f0f0f-1111-4111-8111-000000000002',
    image: 'mod.img',
    createdAt: '2026-11-27T17:19:49.365923',
    prefix: 'volume_5a5a5a5a-2222-4222-8222-000000000001_20261127171949_backup_0f0f0f0f-1111-4111-8111-000000000002',
  },
] as const;

const goldenFile = (container: string, name: string) => fsp.readFile(path.join(goldenDir(), 'repo', container, name), 'utf8');

/** Backs up a golden image with the ids, times and settings Cinder used, into a fresh repository. */
const backUpLikeCinder = async (root: string, which: 0 | 1, level?: number) => {
  const g = GOLDEN[which];
  const cinder = parseMetadata(await goldenFile(g.container, metadataObjectName(g.prefix)));
  const parentSha = which === 1 ? parseSha256File(await goldenFile(GOLDEN[0].container, sha256ObjectName(GOLDEN[0].prefix))) : null;
  const repository = new PosixRepository(root);
  await runBackup({
    repository,
    container: g.container,
    prefix: g.prefix,
    source: { path: path.join(goldenDir(), g.image) },
    header: {
      backupId: cinder.backupId,
      volumeId: cinder.volumeId,
      name: cinder.name,
      description: cinder.description,
      createdAt: g.createdAt,
      volumeMeta: cinder.volumeMeta,
      parentId: cinder.parentId,
    },
    parent: parentSha,
    options: { ...POSIX_DEFAULTS, compressionLevel: level },
  });
  const ours = (name: string) => fsp.readFile(path.join(root, g.container, name), 'utf8');
  return { g, ours };
};

describe('runBackup against the golden Cinder repository', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(() => tmp.cleanup());

  it.each([
    ['full', 0],
    ['incremental', 1],
  ] as const)("writes the %s backup's _metadata and _sha256file byte for byte", async (_kind, which) => {
    const { g, ours } = await backUpLikeCinder(tmp.dir, which);

    expect(await ours(metadataObjectName(g.prefix))).toBe(await goldenFile(g.container, metadataObjectName(g.prefix)));
    expect(await ours(sha256ObjectName(g.prefix))).toBe(await goldenFile(g.container, sha256ObjectName(g.prefix)));
  });

  it("stores data objects that inflate to the same bytes as Cinder's (zlib levels differ, so the deflate bytes do)", async () => {
    const { g } = await backUpLikeCinder(tmp.dir, 0, 6);
    const name = `${g.prefix}-00001`;
    const { inflateSync } = await import('node:zlib');
    const ours = inflateSync(await fsp.readFile(path.join(tmp.dir, g.container, name)));
    const cinders = inflateSync(await fsp.readFile(path.join(goldenDir(), 'repo', g.container, name)));
    expect(ours.equals(cinders)).toBe(true);
  });
});
