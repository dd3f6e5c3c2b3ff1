import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { BufferRing } from './pool/buffer-ring';
import { WorkerPool } from './pool/worker-pool';
import { PosixRepository } from './repositories/posix.repository';
import type { BackupLocation } from './backup-files';
import { readSha256File } from './backup-files';
import { MissingBackupObject, OperationCancelled, RestoreTargetTooSmall, UnsupportedBackupVersion } from './errors';
import { metadataObjectName, sha256ObjectName } from './object-names';
import { runRestore, type RestoreCheckpoint, type RunRestoreArgs } from './restore-engine';
import { driverWorld, goldenDir, header, seededBytes, smallOptions, tempDir, textBytes } from './testing/fixtures';
import { verifyBackupChain } from './verify-chain';

type World = Awaited<ReturnType<typeof driverWorld>>;

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
  beforeEach(async () => {
    tmp = await tempDir();
  });
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

  it("hands a restore that wrote and verified everything's ring to the next restore of the process, and drops a failed one's", async () => {
    const acquired = jest.spyOn(BufferRing.prototype, 'acquire');
    // The rings a restore read its objects through (the restore's own ring has RING_BUFFERS buffers).
    const ringsOf = async (restore: Promise<unknown>): Promise<Set<BufferRing>> => {
      acquired.mockClear();
      await restore.catch(() => undefined);
      return new Set(acquired.mock.contexts.filter((ring) => ring.count === 6) as BufferRing[]);
    };
    const restoreFrom = (repo: PosixRepository, name: string) =>
      runRestore({ repository: repo, chain: [golden.full, golden.incr], target: { path: path.join(tmp.dir, name), isNew: true } });
    const copyOfRepository = async (name: string): Promise<{ repo: PosixRepository; files: string[] }> => {
      const dir = path.join(tmp.dir, name);
      await fsp.cp(path.join(goldenDir(), 'repo'), dir, { recursive: true });
      return { repo: new PosixRepository(dir), files: (await readdirDeep(dir)).sort() };
    };
    try {
      const [first] = await ringsOf(restoreFrom(repository, 'one.img'));
      expect(await ringsOf(restoreFrom(repository, 'two.img'))).toEqual(new Set([first]));
      expect((await fsp.readFile(path.join(tmp.dir, 'two.img'))).equals(await fsp.readFile(path.join(goldenDir(), 'mod.img')))).toBe(true);

      // A restore that fails midway (an object that does not decompress) gives its ring back to no one.
      const undecodable = await copyOfRepository('undecodable');
      const object = undecodable.files.find((f) => f.endsWith('-00001'))!;
      await fsp.writeFile(object, seededBytes((await fsp.stat(object)).size, 5));
      const undecoded = restoreFrom(undecodable.repo, 'three.img');
      expect(await ringsOf(undecoded)).toEqual(new Set([first]));
      await expect(undecoded).rejects.toThrow();
      const [second] = await ringsOf(restoreFrom(repository, 'four.img'));
      expect(second).not.toBe(first);

      // Nor does one that wrote everything and then found a block that is not what the backup recorded:
      // it reads the block's object again through its ring to say which one is wrong.
      const misrecorded = await copyOfRepository('misrecorded');
      const sha256File = misrecorded.files.find((f) => f.includes('000000000002') && f.endsWith('_sha256file'))!;
      const recorded = JSON.parse(await fsp.readFile(sha256File, 'utf8')) as { sha256s: string[] };
      recorded.sha256s[0] = 'f'.repeat(64);
      await fsp.writeFile(sha256File, JSON.stringify(recorded));
      const unverified = restoreFrom(misrecorded.repo, 'five.img');
      expect(await ringsOf(unverified)).toEqual(new Set([second]));
      await expect(unverified).rejects.toMatchObject({ name: 'RestoreVerificationFailed', blockIndex: 0 });
      expect(await ringsOf(restoreFrom(repository, 'six.img'))).not.toContain(second);
    } finally {
      acquired.mockRestore();
    }
  });
});

const readdirDeep = async (dir: string): Promise<string[]> =>
  (await fsp.readdir(dir, { withFileTypes: true, recursive: true })).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));

describe('runRestore', () => {
  let w: World;
  beforeEach(async () => {
    w = await driverWorld();
  });
  afterEach(() => w.cleanup());

  const restore = (chain: BackupLocation[], isNew = true, more: Partial<RunRestoreArgs> = {}) =>
    runRestore({ repository: w.repository, chain, target: { path: path.join(w.dir, 'restored.img'), isNew }, workers: 1, ...more });
  const restored = () => fsp.readFile(path.join(w.dir, 'restored.img'));
  const objectPath = (at: BackupLocation, index: number) =>
    path.join(w.root, at.container, `${at.prefix}-${String(index).padStart(5, '0')}`);

  /** A full backup and five incrementals, each with a different compression, and the volume after each. */
  const chainOfFive = async () => {
    const volume = Buffer.concat([textBytes(40000), seededBytes(9000, 3)]);
    await fsp.writeFile(w.volumePath, volume);
    const first = await w.backup(header(), smallOptions());
    const chain: BackupLocation[] = [first];
    const images = [Buffer.from(volume)];
    let parent = await readSha256File(w.repository, first.container, first.prefix);
    for (const [i, compression] of ['zstd', 'bz2', 'none', 'gzip', 'zlib'].entries()) {
      seededBytes(700, 20 + i).copy(volume, (i * 9973) % (volume.length - 700));
      volume.write(`change ${i}`, 35000 + i * 1500);
      await fsp.writeFile(w.volumePath, volume);
      const b = await w.backup(header({ parentId: 'p' }), smallOptions({ compression }), { parent });
      chain.push(b);
      images.push(Buffer.from(volume));
      parent = await readSha256File(w.repository, b.container, b.prefix);
    }
    return { chain, images };
  };

  it("restores every member of a chain of five incrementals byte for byte, whatever each one's compression", async () => {
    const { chain, images } = await chainOfFive();

    for (let n = 1; n <= chain.length; n++) {
      await fsp.rm(path.join(w.dir, 'restored.img'), { force: true });
      await restore(chain.slice(0, n));
      expect((await restored()).equals(images[n - 1] as Buffer)).toBe(true);
    }
  });

  it('reads several objects of one backup at once, and a backup of the chain only after the one before it is written', async () => {
    const { chain, images } = await chainOfFive();
    const reading = new Map<string, number>(); // container -> readers open
    let mostAtOnce = 0;
    const containersAtOnce = new Set<number>();
    const repository = Object.assign(Object.create(w.repository) as typeof w.repository, {
      openReader: async (container: string, object: string) => {
        const reader = await w.repository.openReader(container, object);
        reading.set(container, (reading.get(container) ?? 0) + 1);
        mostAtOnce = Math.max(mostAtOnce, reading.get(container) as number);
        containersAtOnce.add([...reading.values()].filter((n) => n > 0).length);
        let done = false;
        const finished = () => {
          if (!done) reading.set(container, (reading.get(container) as number) - 1);
          done = true;
        };
        reader.once('end', finished).once('close', finished); // 'close' comes after the fd is closed, later

        return reader;
      },
    });

    await runRestore({ repository, chain, target: { path: path.join(w.dir, 'restored.img'), isNew: true }, workers: 1 });

    expect((await restored()).equals(images[5] as Buffer)).toBe(true);
    expect(mostAtOnce).toBeGreaterThan(1);
    expect([...containersAtOnce]).toEqual([1]);
  });

  it('verifies a chain without writing anything', async () => {
    const { chain } = await chainOfFive();

    await expect(verifyBackupChain({ repository: w.repository, chain, workers: 1 })).resolves.toEqual({
      blocks: 48,
      objects: expect.any(Number),
    });
  });

  it.each([
    ['none', 'off'],
    ['zlib', 'zlib'],
    ['zstd', 'zstd'],
  ])('fails naming the object when a stored byte is flipped (%s)', async (_label, compression) => {
    await fsp.writeFile(w.volumePath, textBytes(20000));
    const b = await w.backup(header(), smallOptions({ compression }));
    const file = objectPath(b, 2);
    const bytes = await fsp.readFile(file);
    bytes[bytes.length >> 1] ^= 0x01;
    await fsp.chmod(file, 0o660);
    await fsp.writeFile(file, bytes);

    await expect(restore([b])).rejects.toMatchObject({ name: 'RestoreVerificationFailed', object: `${b.prefix}-00002` });
    await expect(verifyBackupChain({ repository: w.repository, chain: [b], workers: 1 })).rejects.toMatchObject({
      name: 'RestoreVerificationFailed',
      object: `${b.prefix}-00002`,
    });
  });

  it.each(['zlib', 'zstd', 'none'])('restores objects larger than a read piece (%s, read in pieces) byte for byte', async (compression) => {
    const volume = Buffer.concat([textBytes(3 << 20), seededBytes(1 << 20, 9), Buffer.alloc(2 << 20), textBytes(777_777)]);
    await fsp.writeFile(w.volumePath, volume);
    const b = await w.backup(header(), smallOptions({ compression, objectSizeBytes: 5 << 20, shaBlockSizeBytes: 32768 }));

    await restore([b]);

    expect((await restored()).equals(volume)).toBe(true);
  });

  it.each(['zlib', 'zstd', 'none'])('restores from a repository that only streams its objects (as Swift), %s', async (compression) => {
    const volume = Buffer.concat([textBytes(3 << 20), seededBytes(1 << 20, 9), Buffer.alloc(1 << 20)]);
    await fsp.writeFile(w.volumePath, volume);
    const full = await w.backup(header(), smallOptions({ compression, objectSizeBytes: 2 << 20, shaBlockSizeBytes: 32768 }));
    volume.write('changed', 100_000);
    await fsp.writeFile(w.volumePath, volume);
    const parent = await readSha256File(w.repository, full.container, full.prefix);
    const incr = await w.backup(
      header({ parentId: 'p' }),
      smallOptions({ compression, objectSizeBytes: 2 << 20, shaBlockSizeBytes: 32768 }),
      { parent },
    );
    const streamsOnly = Object.assign(Object.create(w.repository) as typeof w.repository, { openByteReader: undefined });

    await runRestore({
      repository: streamsOnly,
      chain: [full, incr],
      target: { path: path.join(w.dir, 'restored.img'), isNew: true },
      workers: 1,
    });

    expect((await restored()).equals(volume)).toBe(true);
  });

  it.each([
    ['zstd', 'small, read whole', 8192],
    ['zlib', 'small, read whole', 8192],
    ['zstd', 'large, read in pieces', 512 << 10],
    ['zlib', 'large, read in pieces', 512 << 10],
  ])('fails naming the object when a %s object (%s) is cut short', async (compression, _how, objectSizeBytes) => {
    await fsp.writeFile(w.volumePath, textBytes(objectSizeBytes * 2 + 20000));
    const b = await w.backup(header(), smallOptions({ compression, objectSizeBytes }));
    const file = objectPath(b, 1);
    const bytes = await fsp.readFile(file);
    await fsp.chmod(file, 0o660);
    await fsp.writeFile(file, bytes.subarray(0, bytes.length - 3));

    await expect(restore([b])).rejects.toMatchObject({ name: 'RestoreVerificationFailed', object: `${b.prefix}-00001` });
  });

  it('refuses a small object stored as more bytes than any compression of its length, without reading it all', async () => {
    await fsp.writeFile(w.volumePath, textBytes(20000));
    const b = await w.backup(header(), smallOptions({ compression: 'zstd' }));
    await fsp.chmod(objectPath(b, 1), 0o660);
    await fsp.writeFile(objectPath(b, 1), seededBytes(5 << 20, 4));

    await expect(restore([b])).rejects.toMatchObject({
      name: 'RestoreVerificationFailed',
      object: `${b.prefix}-00001`,
      message: expect.stringContaining('more than 8192 bytes compress to'),
    });
  });

  it('fails naming a missing object', async () => {
    await fsp.writeFile(w.volumePath, textBytes(20000));
    const b = await w.backup(header(), smallOptions());
    await fsp.rm(objectPath(b, 3));

    await expect(restore([b])).rejects.toThrow(new MissingBackupObject(b.container, `${b.prefix}-00003`));
  });

  it('refuses a container holding an object that _metadata does not list', async () => {
    await fsp.writeFile(w.volumePath, textBytes(2000));
    const b = await w.backup(header(), smallOptions());
    await fsp.writeFile(objectPath(b, 9), 'stray');

    await expect(restore([b])).rejects.toThrow('restore_backup aborted, actual object list does not match object list stored in metadata.');
  });

  it('fails naming the first block whose hash differs from the _sha256file', async () => {
    await fsp.writeFile(w.volumePath, textBytes(20000));
    const b = await w.backup(header(), smallOptions());
    const shaFile = path.join(w.root, b.container, sha256ObjectName(b.prefix));
    const sha = JSON.parse(await fsp.readFile(shaFile, 'utf8'));
    sha.sha256s[5] = '0'.repeat(64);
    await fsp.writeFile(shaFile, JSON.stringify(sha));

    await expect(restore([b])).rejects.toMatchObject({ name: 'RestoreVerificationFailed', blockIndex: 5 });
  });

  it('checks the blocks as it writes them: a restore in one run never reads its target back', async () => {
    const { chain, images } = await chainOfFive();
    const pool = new WorkerPool(1);
    const readBack = jest.spyOn(pool, 'hashFileRange');
    try {
      await restore(chain, true, { pool });
    } finally {
      await pool.close();
    }

    expect(readBack).not.toHaveBeenCalled();
    expect((await restored()).equals(images[images.length - 1]!)).toBe(true);
  });

  it('fails on a block whose recorded hash differs even when it hashed the bytes as it wrote them', async () => {
    await fsp.writeFile(w.volumePath, Buffer.concat([textBytes(20000), Buffer.alloc(8192)]));
    const b = await w.backup(header(), smallOptions());
    const shaFile = path.join(w.root, b.container, sha256ObjectName(b.prefix));
    const sha = JSON.parse(await fsp.readFile(shaFile, 'utf8'));
    const last = sha.sha256s.length - 1; // an all-zero block: its hash is known, not computed
    sha.sha256s[last] = '0'.repeat(64);
    await fsp.writeFile(shaFile, JSON.stringify(sha));

    await expect(restore([b], false)).rejects.toMatchObject({ name: 'RestoreVerificationFailed', blockIndex: last });
  });

  it('refuses a backup version it does not know', async () => {
    await fsp.writeFile(w.volumePath, textBytes(2000));
    const b = await w.backup(header(), smallOptions());
    const metaFile = path.join(w.root, b.container, metadataObjectName(b.prefix));
    await fsp.writeFile(metaFile, (await fsp.readFile(metaFile, 'utf8')).replace('"1.0.0"', '"2.0.0"'));

    await expect(restore([b])).rejects.toThrow(new UnsupportedBackupVersion('2.0.0'));
  });

  it('leaves all-zero pieces of a new volume as holes (test_restore_backup_with_sparseness)', async () => {
    const fh = await fsp.open(w.volumePath, 'w');
    await fh.write(Buffer.from('twenty bytes of data'), 0, 20, 3 << 20);
    await fh.truncate(4 << 20);
    await fh.close();
    const b = await w.backup(header(), smallOptions({ objectSizeBytes: 8 << 20, shaBlockSizeBytes: 32768 }));

    await restore([b]);

    const [data, stat] = [await restored(), await fsp.stat(path.join(w.dir, 'restored.img'))];
    expect(data.equals(await fsp.readFile(w.volumePath))).toBe(true);
    expect(stat.blocks * 512).toBeLessThanOrEqual(1 << 20);
  });

  it('writes the zeros of an incremental over what the backup before it wrote, even on a new volume', async () => {
    await fsp.writeFile(w.volumePath, textBytes(3 << 20));
    const options = smallOptions({ objectSizeBytes: 1 << 20, shaBlockSizeBytes: 32768 });
    const full = await w.backup(header(), options);
    const fh = await fsp.open(w.volumePath, 'r+');
    await fh.write(Buffer.alloc(1 << 20), 0, 1 << 20, 1 << 20); // the middle MiB discarded
    await fh.close();
    const parent = await readSha256File(w.repository, full.container, full.prefix);
    const incr = await w.backup(header({ parentId: 'p' }), options, { parent });

    await restore([full, incr]);

    expect((await restored()).equals(await fsp.readFile(w.volumePath))).toBe(true);
  });

  /** Backs the 4 MiB volume up in one object and restores it onto an existing sparse volume of its size. */
  const restoreOntoSparseVolume = async () => {
    const target = path.join(w.dir, 'restored.img');
    await (await fsp.open(target, 'w')).close();
    await fsp.truncate(target, 4 << 20);
    const b = await w.backup(header(), smallOptions({ objectSizeBytes: 8 << 20, shaBlockSizeBytes: 32768 }));
    const { bytesWritten } = await restore([b], false, { target: { path: target, isNew: false, fixedSize: true } });
    return { bytesWritten, allocatedBytes: (await fsp.stat(target)).blocks * 512 };
  };

  it("leaves an existing volume's zeros unwritten where it already reads as zeros, and its holes holes", async () => {
    const fh = await fsp.open(w.volumePath, 'w');
    await fh.write(Buffer.from('twenty bytes of data'), 0, 20, 3 << 20);
    await fh.truncate(4 << 20);
    await fh.close();

    const { bytesWritten, allocatedBytes } = await restoreOntoSparseVolume();

    expect(bytesWritten).toBe(1 << 20);
    expect((await restored()).equals(await fsp.readFile(w.volumePath))).toBe(true);
    expect(allocatedBytes).toBeLessThanOrEqual(1 << 20);
  });

  it('judges each MiB of a larger read piece zero or not on its own: data around a zero MiB, and the hole stays', async () => {
    const fh = await fsp.open(w.volumePath, 'w');
    for (const mib of [0, 2, 3]) await fh.write(textBytes(1 << 20), 0, 1 << 20, mib << 20);
    await fh.close();

    const { bytesWritten, allocatedBytes } = await restoreOntoSparseVolume();

    expect(bytesWritten).toBe(3 << 20);
    expect((await restored()).equals(await fsp.readFile(w.volumePath))).toBe(true);
    expect(allocatedBytes).toBeLessThanOrEqual(3 << 20);
  });

  it('writes every byte, zeros included, onto an existing volume', async () => {
    await fsp.writeFile(w.volumePath, Buffer.alloc(3 << 20));
    await fsp.writeFile(path.join(w.dir, 'restored.img'), Buffer.alloc(3 << 20, 0xee));
    const b = await w.backup(header(), smallOptions({ objectSizeBytes: 1 << 20, shaBlockSizeBytes: 32768 }));

    const { bytesWritten } = await restore([b], false);

    expect(bytesWritten).toBe(3 << 20);
    expect((await restored()).equals(Buffer.alloc(3 << 20))).toBe(true);
  });

  describe('onto a target of fixed size (a volume)', () => {
    const target = () => path.join(w.dir, 'restored.img');
    const restoreFixed = (chain: BackupLocation[]) =>
      runRestore({ repository: w.repository, chain, target: { path: target(), isNew: false, fixedSize: true }, workers: 1 });

    it('fails before writing a byte when the backup is larger than the file, leaving its bytes and size', async () => {
      await fsp.writeFile(w.volumePath, textBytes(20000));
      const b = await w.backup(header(), smallOptions());
      const before = Buffer.alloc(1000, 0xee);
      await fsp.writeFile(target(), before);

      await expect(restoreFixed([b])).rejects.toThrow(new RestoreTargetTooSmall(target(), 1000, 20000));

      expect((await fsp.readFile(target())).equals(before)).toBe(true);
    });

    it('restores a backup that fits, keeping the size the file had', async () => {
      await fsp.writeFile(w.volumePath, textBytes(20000));
      const b = await w.backup(header(), smallOptions());
      await fsp.writeFile(target(), Buffer.alloc(24000, 0xee));

      await restoreFixed([b]);

      const after = await restored();
      expect(after.length).toBe(24000);
      expect(after.subarray(0, 20000).equals(textBytes(20000))).toBe(true);
      expect(after.subarray(20000).equals(Buffer.alloc(4000, 0xee))).toBe(true);
    });

    it('never creates a target that is missing', async () => {
      await fsp.writeFile(w.volumePath, textBytes(2000));
      const b = await w.backup(header(), smallOptions());

      await expect(restoreFixed([b])).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(fsp.stat(target())).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });

  it('stops between objects when aborted', async () => {
    await fsp.writeFile(w.volumePath, textBytes(20000));
    const b = await w.backup(header(), smallOptions());
    const abort = new AbortController();

    const run = restore([b], true, { signal: abort.signal, onProgress: () => abort.abort() });

    await expect(run).rejects.toThrow(new OperationCancelled('restore'));
  });

  it("checkpoints after every checkpointEveryBytes of objects, once the target is fsync'ed", async () => {
    await fsp.writeFile(w.volumePath, textBytes(40000));
    const b = await w.backup(header(), smallOptions());
    const checkpoints: RestoreCheckpoint[] = [];

    await restore([b], true, {
      checkpointEveryBytes: 16384,
      checkpointEveryMs: 60_000,
      onCheckpoint: (c) => {
        checkpoints.push(c);
      },
    });

    expect(checkpoints).toEqual([
      { objectsDone: 2, bytesDone: 16384, bytesTotal: 40000 },
      { objectsDone: 4, bytesDone: 32768, bytesTotal: 40000 },
    ]);
  });

  it('checkpoints after checkpointEveryMs too, so a restore of large objects shows its progress', async () => {
    await fsp.writeFile(w.volumePath, textBytes(40000));
    const b = await w.backup(header(), smallOptions());
    const checkpoints: RestoreCheckpoint[] = [];

    await restore([b], true, {
      checkpointEveryBytes: 1 << 30,
      checkpointEveryMs: 0,
      onCheckpoint: (c) => {
        checkpoints.push(c);
      },
    });

    expect(checkpoints.map((c) => c.objectsDone)).toEqual([1, 2, 3, 4, 5]);
  });

  it('goes on restoring while a checkpoint is taken, and ends only once it is recorded', async () => {
    await fsp.writeFile(w.volumePath, textBytes(40000));
    const b = await w.backup(header(), smallOptions());
    let objectsSeen = 0;
    const recorded: { objectsDone: number; objectsSeenMeanwhile: number }[] = [];

    await restore([b], true, {
      checkpointEveryBytes: 16384,
      checkpointEveryMs: 60_000,
      onProgress: (p) => {
        objectsSeen = p.objectsDone;
      },
      // The first checkpoint is recorded only once the restore has written the two objects after it (the
      // next checkpoint, due at the fourth, waits for this one), or after 2 s.
      onCheckpoint: async (c) => {
        for (const started = Date.now(); c.objectsDone === 2 && objectsSeen < 4 && Date.now() - started < 2000;)
          await new Promise((resolve) => setTimeout(resolve, 5));
        recorded.push({ objectsDone: c.objectsDone, objectsSeenMeanwhile: objectsSeen });
      },
    });

    expect(recorded[0]).toEqual({ objectsDone: 2, objectsSeenMeanwhile: 4 });
    expect(recorded.map((c) => c.objectsDone)).toEqual([2, 4]);
  });

  it('records no checkpoint after a restore has failed', async () => {
    await fsp.writeFile(w.volumePath, textBytes(40000));
    const b = await w.backup(header(), smallOptions());
    const abort = new AbortController();
    const events: string[] = [];

    // Cancelled once the third object is written, while the checkpoint of the first two is still being recorded.
    const run = restore([b], true, {
      signal: abort.signal,
      checkpointEveryBytes: 16384,
      checkpointEveryMs: 60_000,
      onProgress: (p) => p.objectsDone === 3 && abort.abort(),
      onCheckpoint: async (c) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        events.push(`checkpoint ${c.objectsDone}`);
      },
    }).catch((error: Error) => events.push(`failed: ${error.name}`));
    await run;

    expect(events).toEqual(['checkpoint 2', 'failed: OperationCancelled']);
  });

  it('resumes after a checkpoint: the objects before it are not written again, and every block is still verified', async () => {
    const volume = textBytes(40000);
    await fsp.writeFile(w.volumePath, volume);
    const b = await w.backup(header(), smallOptions());
    await fsp.writeFile(path.join(w.dir, 'restored.img'), volume.subarray(0, 16384));

    const { bytesWritten } = await restore([b], false, { resume: { objectsDone: 2, bytesDone: 16384 } });

    expect(bytesWritten).toBe(40000 - 16384);
    expect((await restored()).equals(volume)).toBe(true);
  });

  it('fails a resumed restore whose checkpointed part of the target no longer holds the backup', async () => {
    const volume = textBytes(40000);
    await fsp.writeFile(w.volumePath, volume);
    const b = await w.backup(header(), smallOptions());
    await fsp.writeFile(path.join(w.dir, 'restored.img'), Buffer.alloc(16384));

    await expect(restore([b], false, { resume: { objectsDone: 2, bytesDone: 16384 } })).rejects.toMatchObject({
      name: 'RestoreVerificationFailed',
      blockIndex: 0,
    });
  });
});
