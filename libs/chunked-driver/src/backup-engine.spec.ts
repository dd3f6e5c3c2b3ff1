import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { inflateSync } from 'node:zlib';
import { readBackupMetadata, readSha256File } from './backup-files';
import { IncrementalNotPossible, InvalidDriverOptions, OperationCancelled, RunSuspended } from './errors';
import { type WrittenObject } from './metadata-file';
import { metadataObjectName } from './object-names';
import { runRestore } from './restore-engine';
import { driverWorld, header, seededBytes, smallOptions, textBytes } from './testing/fixtures';

type World = Awaited<ReturnType<typeof driverWorld>>;

const listAll = async (w: World, container: string, prefix: string) => {
  const names: string[] = [];
  for await (const n of w.repository.list(container, prefix)) names.push(n);
  return names;
};

const objectInfo = (objects: readonly WrittenObject[]) => objects.map((o) => [o.name.slice(-6), o.offsetBytes, o.lengthBytes]);

const restoreTo = async (w: World, chain: { container: string; prefix: string }[], name = 'restored.img') => {
  const target = path.join(w.dir, name);
  await runRestore({ repository: w.repository, chain, target: { path: target, isNew: true }, workers: 1 });
  return fsp.readFile(target);
};

describe('runBackup', () => {
  let w: World;
  beforeEach(async () => {
    w = await driverWorld();
  });
  afterEach(() => w.cleanup());

  it("writes 250 bytes uncompressed as one object with Cinder's md5 (test_backup_chunk)", async () => {
    await fsp.writeFile(w.volumePath, 'abcdefhijklmnopqrstuvwxyz'.repeat(10));

    const { prefix, result } = await w.backup(header(), smallOptions({ compression: 'off' }));

    expect(result.objects).toEqual([
      { name: `${prefix}-00001`, offsetBytes: 0, lengthBytes: 250, compression: 'none', md5: 'b4bc937908ab6be6039b6d4141200de8' },
    ]);
    expect(result.objectCount).toBe(1);
  });

  it('writes one object per chunk, numbered from -00001, and one hash per block (test_backup_shafile)', async () => {
    await fsp.writeFile(w.volumePath, textBytes(32768));

    const { container, prefix, result } = await w.backup(header(), smallOptions());

    expect(objectInfo(result.objects)).toEqual([
      ['-00001', 0, 8192],
      ['-00002', 8192, 8192],
      ['-00003', 16384, 8192],
      ['-00004', 24576, 8192],
    ]);
    expect(result.objects.every((o) => o.compression === 'zlib')).toBe(true);
    expect((await readSha256File(w.repository, container, prefix)).sha256s).toHaveLength(32);
  });

  it('writes data objects, then _sha256file, then _metadata, and nothing else', async () => {
    await fsp.writeFile(w.volumePath, textBytes(20000));

    const { container, prefix } = await w.backup(header(), smallOptions());

    expect(await listAll(w, container, prefix)).toEqual(['-00001', '-00002', '-00003', '_metadata', '_sha256file'].map((s) => prefix + s));
  });

  it('stores an object that compression does not shrink raw, recorded as none', async () => {
    const random = seededBytes(8192 * 2);
    await fsp.writeFile(w.volumePath, random);

    const { container, prefix, result } = await w.backup(header(), smallOptions({ bufferedObjectMaxBytes: 8192 }));

    expect(result.objects.map((o) => o.compression)).toEqual(['none', 'none']);
    expect((await fsp.readFile(path.join(w.root, container, `${prefix}-00001`))).equals(random.subarray(0, 8192))).toBe(true);
  });

  it('applies the same rule to objects too large to compress in memory', async () => {
    await fsp.writeFile(w.volumePath, Buffer.concat([seededBytes(8192), textBytes(8192)]));

    const { result } = await w.backup(header(), smallOptions({ bufferedObjectMaxBytes: 0 }));

    expect(result.objects.map((o) => o.compression)).toEqual(['none', 'zlib']);
  });

  it('records the compression as configured, lower-cased, and writes zlib bytes for gzip', async () => {
    await fsp.writeFile(w.volumePath, textBytes(8192));

    const { container, prefix, result } = await w.backup(header(), smallOptions({ compression: 'GZIP' }));

    expect(result.objects[0]?.compression).toBe('gzip');
    const stored = await fsp.readFile(path.join(w.root, container, `${prefix}-00001`));
    expect(inflateSync(stored).equals(textBytes(8192))).toBe(true);
  });

  it('refuses an object size that is not a multiple of the block size before any I/O', async () => {
    const run = w.backup(header(), smallOptions({ objectSizeBytes: 999, shaBlockSizeBytes: 1024 }));

    await expect(run).rejects.toThrow(new InvalidDriverOptions('Chunk size is not multiple of block size for creating hash.'));
    expect(await fsp.readdir(w.root)).toEqual([]);
  });

  it('refuses an empty volume', async () => {
    await fsp.writeFile(w.volumePath, '');

    await expect(w.backup(header(), smallOptions())).rejects.toThrow('volume size 0 is invalid.');
  });

  describe('incremental', () => {
    const full = async () => {
      await fsp.writeFile(w.volumePath, textBytes(32768));
      const f = await w.backup(header(), smallOptions());
      return { ...f, sha: await readSha256File(w.repository, f.container, f.prefix) };
    };
    const rewrite = async (offsets: number[], length = 1024) => {
      const fh = await fsp.open(w.volumePath, 'r+');
      for (const [i, at] of offsets.entries()) await fh.write(seededBytes(length, i + 7), 0, length, at);
      await fh.close();
    };

    it('writes one object per changed block (test_backup_delta_two_objects_change)', async () => {
      const parent = await full();
      await rewrite([16384, 20480]);

      const { result } = await w.backup(header(), smallOptions(), { parent: parent.sha });

      expect(objectInfo(result.objects)).toEqual([
        ['-00001', 16384, 1024],
        ['-00002', 20480, 1024],
      ]);
      const differing = result.sha256s.flatMap((h, i) => (h !== parent.sha.sha256s[i] ? [i] : []));
      expect(differing).toEqual([16, 20]);
    });

    it('coalesces adjacent changed blocks into one run at its absolute offset', async () => {
      const parent = await full();
      await rewrite([2048, 3072, 17408, 31744]);

      const { result } = await w.backup(header(), smallOptions(), { parent: parent.sha });

      expect(objectInfo(result.objects)).toEqual([
        ['-00001', 2048, 2048],
        ['-00002', 17408, 1024],
        ['-00003', 31744, 1024],
      ]);
      expect(result.sha256s).toHaveLength(32);
    });

    it('splits a run that crosses a chunk boundary', async () => {
      const parent = await full();
      await rewrite([7168, 8192]);

      const { result } = await w.backup(header(), smallOptions(), { parent: parent.sha });

      expect(objectInfo(result.objects)).toEqual([
        ['-00001', 7168, 1024],
        ['-00002', 8192, 1024],
      ]);
    });

    it('writes no object for an unchanged volume and repeats the hash list (test_backup_cmp_shafiles)', async () => {
      const parent = await full();

      const { container, prefix, result } = await w.backup(header(), smallOptions(), { parent: parent.sha });

      expect(result.objects).toEqual([]);
      expect(result.sha256s).toEqual(parent.sha.sha256s);
      expect(await fsp.readFile(path.join(w.root, container, metadataObjectName(prefix)), 'utf8')).toContain('"objects": [],');
    });

    it('refuses a changed hash block size', async () => {
      const parent = await full();

      await expect(w.backup(header(), smallOptions({ shaBlockSizeBytes: 2048 }), { parent: parent.sha })).rejects.toThrow(
        new IncrementalNotPossible(
          'Hash block size has changed since the last backup. New hash block size: 2048. Old hash block size: 1024. Do a full backup.',
        ),
      );
    });

    it('refuses a volume that grew', async () => {
      const parent = await full();
      await fsp.appendFile(w.volumePath, 'x');

      await expect(w.backup(header(), smallOptions(), { parent: parent.sha })).rejects.toThrow(
        'Volume size increased since the last backup. Do a full backup.',
      );
    });
  });

  describe('cancellation and resumption', () => {
    it('deletes every object under the prefix and rejects with OperationCancelled', async () => {
      await fsp.writeFile(w.volumePath, textBytes(32768));
      const abort = new AbortController();

      const run = w.backup(header(), smallOptions(), { signal: abort.signal, onChunkDone: () => abort.abort() });

      await expect(run).rejects.toThrow(OperationCancelled);
      const left = await fsp.readdir(w.root, { recursive: true });
      expect(left.filter((n) => n.includes('_backup_'))).toEqual([]);
    });

    const streamedObject = smallOptions({ objectSizeBytes: 16 << 20, bufferedObjectMaxBytes: 1 << 20 });
    const abortMidObject = (reason?: unknown) => {
      const abort = new AbortController();
      return {
        signal: abort.signal,
        onProgress: (p: { bytesDone: number }) => {
          if (p.bytesDone >= 4 << 20) abort.abort(reason);
        },
      };
    };

    it('stops inside a large streamed object when aborted, and deletes what it wrote', async () => {
      await fsp.writeFile(w.volumePath, textBytes(16 << 20));

      await expect(w.backup(header(), streamedObject, abortMidObject())).rejects.toThrow(OperationCancelled);

      expect((await fsp.readdir(w.root, { recursive: true })).filter((n) => n.includes('_backup_'))).toEqual([]);
    });

    it('keeps what it wrote when the abort is a RunSuspended (the run will be resumed)', async () => {
      await fsp.writeFile(w.volumePath, textBytes(16 << 20));

      await expect(w.backup(header(), streamedObject, abortMidObject(new RunSuspended('lease lost')))).rejects.toThrow(OperationCancelled);

      expect((await fsp.readdir(w.root, { recursive: true })).filter((n) => n.endsWith('-00001'))).toHaveLength(1);
    });

    it('resumes after the last durable chunk, reusing its objects and deleting orphans', async () => {
      const volume = Buffer.concat([textBytes(16384), seededBytes(16384)]);
      await fsp.writeFile(w.volumePath, volume);
      const h = header();
      const done: WrittenObject[] = [];
      const crash = new Error('worker crashed');
      const first = w.backup(h, smallOptions(), {
        onChunkDone: (c) => {
          done.push(...c.objects);
          if (c.chunkIndex === 1) throw crash;
        },
      });
      await expect(first).rejects.toBe(crash);
      const chunksDone = 1; // the crash hit before chunk 1 was recorded, so its object is an orphan to be rewritten
      const recorded = done.slice(0, 1);

      const { container, prefix, result } = await w.backup(h, smallOptions(), { resume: { chunksDone, objects: recorded } });

      expect(result.objects[0]).toEqual(recorded[0]);
      expect(objectInfo(result.objects)).toEqual([
        ['-00001', 0, 8192],
        ['-00002', 8192, 8192],
        ['-00003', 16384, 8192],
        ['-00004', 24576, 8192],
      ]);
      expect((await restoreTo(w, [{ container, prefix }])).equals(volume)).toBe(true);
      expect(await listAll(w, container, prefix)).toHaveLength(6);
    });

    it('deletes data objects that the final list does not mention', async () => {
      await fsp.writeFile(w.volumePath, textBytes(8192));
      const h = header();
      const { container, prefix } = await w.backup(h, smallOptions());
      const orphan = path.join(w.root, container, `${prefix}-00007`);
      await fsp.writeFile(orphan, 'left by a crash');

      const { result } = await w.backup(h, smallOptions(), { resume: { chunksDone: 0, objects: [] } });

      expect(result.objectCount).toBe(1);
      await expect(fsp.stat(orphan)).rejects.toThrow('ENOENT');
    });

    it('reports progress up to the volume size and the object count', async () => {
      await fsp.writeFile(w.volumePath, textBytes(20000));
      const seen: { bytesDone: number; objectsDone: number }[] = [];

      await w.backup(header(), smallOptions(), { onProgress: (p) => seen.push(p) });

      expect(seen.at(-1)).toEqual({ bytesDone: 20000, bytesTotal: 20000, objectsDone: 3 });
      expect(seen.every((p, i) => i === 0 || p.bytesDone >= (seen[i - 1] as { bytesDone: number }).bytesDone)).toBe(true);
    });
  });

  it('reads back its own _metadata', async () => {
    await fsp.writeFile(w.volumePath, textBytes(100));
    const h = header({ name: 'nåme', description: 'd', volumeMeta: '{"version": 2}' });

    const { container, prefix, result } = await w.backup(h, smallOptions());

    const meta = await readBackupMetadata(w.repository, container, prefix);
    expect(meta).toMatchObject({ backupId: h.backupId, name: 'nåme', volumeMeta: '{"version": 2}', objects: result.objects });
    expect(meta.createdAt).toBe('2024-05-06 07:08:09+00:00');
  });
});
