import type { Readable } from 'node:stream';
import type { BackupRepository, ByteReader } from './repository.port';

/** A stream's chunks handed out as reads into the caller's buffers (each chunk copied once). */
const byteReaderOf = (reader: Readable): ByteReader => {
  const chunks = reader[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let rest: Buffer = Buffer.alloc(0);
  return {
    read: async (into) => {
      while (rest.length === 0) {
        const next = await chunks.next();
        if (next.done) return 0;
        rest = next.value;
      }
      const n = rest.copy(into);
      rest = rest.subarray(n);
      return n;
    },
    close: async () => {
      reader.destroy();
    },
  };
};

/** An object read into the caller's buffers: the repository's byte reader, or its stream where it has none (Swift). */
export const openObjectBytes = async (repository: BackupRepository, container: string, object: string): Promise<ByteReader> =>
  repository.openByteReader ? repository.openByteReader(container, object) : byteReaderOf(await repository.openReader(container, object));
