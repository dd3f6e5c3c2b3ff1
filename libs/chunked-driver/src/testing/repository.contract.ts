import { type Readable, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { deleteByPrefix } from '../delete-backup';
import { MissingBackupObject } from '../errors';
import type { BackupRepository } from '../repository.port';

/**
 * What every BackupRepository does, run unchanged against each adapter (posix here, Swift on loopback
 * later). `setup` gives a fresh repository; container names are unique per test.
 */
export interface RepositoryContractSetup {
  readonly repository: BackupRepository;
  readonly cleanup: () => Promise<void>;
}

const write = async (writer: Writable, chunks: Buffer[]): Promise<void> => {
  for (const c of chunks) if (!writer.write(c)) await new Promise((r) => writer.once('drain', r));
  writer.end();
  await finished(writer);
};

const readAll = async (reader: Readable): Promise<Buffer> => {
  const parts: Buffer[] = [];
  for await (const c of reader) parts.push(c as Buffer);
  return Buffer.concat(parts);
};

const listed = async (repository: BackupRepository, container: string, prefix: string): Promise<string[]> => {
  const names: string[] = [];
  for await (const n of repository.list(container, prefix)) names.push(n);
  return names.sort();
};

/** `byteReader`: the adapter offers openByteReader, which is then held to what openReader does. */
export const repositoryContract = (
  adapter: string,
  setup: () => Promise<RepositoryContractSetup>,
  { byteReader = false }: { readonly byteReader?: boolean } = {},
): void => {
  describe(`BackupRepository contract: ${adapter}`, () => {
    let r: BackupRepository;
    let cleanup: () => Promise<void>;
    let n = 0;
    let container: string;
    beforeEach(async () => {
      ({ repository: r, cleanup } = await setup());
      container = `contract/c${++n}`;
      await r.ensureContainer(container);
    });
    afterEach(() => cleanup());

    const put = async (name: string, data: Buffer | string) => write(await r.openWriter(container, name), [Buffer.from(data)]);
    const get = async (name: string) => readAll(await r.openReader(container, name));

    it('creates a container idempotently', async () => {
      await r.ensureContainer(container);
      expect(await listed(r, container, '')).toEqual([]);
    });

    it('reads back an object written in many chunks', async () => {
      const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(64 * 1024 + i, i));
      await write(await r.openWriter(container, 'p-00001'), chunks);
      expect((await get('p-00001')).equals(Buffer.concat(chunks))).toBe(true);
    });

    it('writes a whole object at once (putObject), replacing an older one', async () => {
      const data = Buffer.alloc(100_000, 7);
      await put('p-00002', 'an older version');

      await r.putObject(container, 'p-00002', data);

      expect((await get('p-00002')).equals(data)).toBe(true);
      expect(await listed(r, container, 'p-')).toEqual(['p-00002']);
    });

    it('reads back an empty object', async () => {
      await put('p_empty', '');
      expect((await get('p_empty')).length).toBe(0);
    });

    it('replaces an object that is written again', async () => {
      await put('p-00001', 'a much longer first version');
      await put('p-00001', 'second');
      expect((await get('p-00001')).toString()).toBe('second');
    });

    it('lists only the names that start with the prefix, in this container', async () => {
      await Promise.all(['p-00001', 'p-00002', 'p_metadata', 'q-00001'].map((name) => put(name, name)));
      await r.ensureContainer(`${container}x`);
      await write(await r.openWriter(`${container}x`, 'p-00009'), [Buffer.from('other container')]);
      expect(await listed(r, container, 'p')).toEqual(['p-00001', 'p-00002', 'p_metadata']);
    });

    it('lists nothing for a container that does not exist', async () => {
      expect(await listed(r, 'contract/never-created', '')).toEqual([]);
    });

    it('rejects reading a missing object with MissingBackupObject naming it', async () => {
      await expect(r.openReader(container, 'p-00042')).rejects.toThrow(new MissingBackupObject(container, 'p-00042'));
    });

    if (byteReader) {
      it('reads an object into buffers the caller owns (shared memory too), as openReader reads it', async () => {
        const chunks = Array.from({ length: 9 }, (_, i) => Buffer.alloc(100_000 + i, i + 1));
        await write(await r.openWriter(container, 'p-00001'), chunks);
        const bytes = await r.openByteReader!(container, 'p-00001');
        const into = Buffer.from(new SharedArrayBuffer(65_536));
        const parts: Buffer[] = [];
        for (let n = await bytes.read(into); n > 0; n = await bytes.read(into)) parts.push(Buffer.from(into.subarray(0, n)));
        await bytes.close();

        expect(Buffer.concat(parts).equals(Buffer.concat(chunks))).toBe(true);
        await expect(r.openByteReader!(container, 'p-00042')).rejects.toThrow(new MissingBackupObject(container, 'p-00042'));
        await expect(r.openByteReader!('contract/never-created', 'p-00001')).rejects.toThrow(MissingBackupObject);
      });
    }

    it('deletes an object, and deleting it again succeeds', async () => {
      await put('p-00001', 'x');
      await r.deleteObject(container, 'p-00001');
      await r.deleteObject(container, 'p-00001');
      expect(await listed(r, container, 'p')).toEqual([]);
    });

    it('deletes every object under a prefix and nothing else', async () => {
      await Promise.all(['p-00001', 'p-00002', 'p_sha256file', 'p_metadata', 'q-00001'].map((name) => put(name, name)));
      expect(await deleteByPrefix(r, container, 'p')).toBe(4);
      expect(await listed(r, container, '')).toEqual(['q-00001']);
    });
  });
};
