/**
 * The code of one POSIX writer thread (posix-writer-threads.ts starts it, @strata/threads says from which
 * file): each message is one whole small file, written and made durable with blocking calls
 * (open, chmod, write, fsync, close, then an fsync of the directory), answered with one message.
 */
import { closeSync, constants, fchmodSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { fromWire, type Wire } from '../pool/wire';

export interface WriterRequest {
  readonly id: number;
  readonly file: string;
  readonly dir: string;
  readonly data: Wire;
  readonly mode: number;
}

export interface WriterReply {
  readonly id: number;
  readonly ok: boolean;
  readonly code?: string;
  readonly message?: string;
}

const { O_WRONLY, O_CREAT, O_TRUNC, O_RDONLY, O_DIRECTORY } = constants;

const closing = (fd: number, use: (fd: number) => void): void => {
  try {
    use(fd);
  } finally {
    closeSync(fd);
  }
};

const writeDurably = ({ file, dir, data, mode }: WriterRequest): void => {
  const bytes = fromWire(data);
  closing(openSync(file, O_WRONLY | O_CREAT | O_TRUNC, mode), (fd) => {
    fchmodSync(fd, mode);
    for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  });
  closing(openSync(dir, O_RDONLY | O_DIRECTORY), fsyncSync);
};

const port = parentPort;
if (port === null) throw new Error('posix-writer-thread.ts is the code of a POSIX writer thread; it is not imported');

port.on('message', (m: WriterRequest) => {
  try {
    writeDurably(m);
    port.postMessage({ id: m.id, ok: true } satisfies WriterReply);
  } catch (e) {
    const code = e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
    port.postMessage({ id: m.id, ok: false, code, message: e instanceof Error ? e.message : String(e) } satisfies WriterReply);
  }
});
