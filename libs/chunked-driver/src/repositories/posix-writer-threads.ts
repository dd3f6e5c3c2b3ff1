import { Worker } from 'node:worker_threads';

/**
 * Threads that write whole small files durably with blocking calls: open, chmod, write, fsync, close,
 * then an fsync of the directory. An incremental writes hundreds of small objects; through the
 * promise API each costs eight round trips between the main thread and libuv's pool, and waking a pool
 * thread for each of them costs the main thread more than the writes cost the disk. Here it is one
 * message each way. Threads start when a backup begins (or on first use) and do not keep the process alive while idle.
 */
const WRITER_SOURCE = String.raw`
'use strict';
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { O_WRONLY, O_CREAT, O_TRUNC, O_RDONLY, O_DIRECTORY } = fs.constants;
const bytes = (d) => (d.sab ? Buffer.from(d.sab, d.off, d.len) : Buffer.from(d.buffer, d.byteOffset, d.byteLength));
parentPort.on('message', (m) => {
  try {
    const data = bytes(m.data);
    const fd = fs.openSync(m.file, O_WRONLY | O_CREAT | O_TRUNC, m.mode);
    try {
      fs.fchmodSync(fd, m.mode);
      for (let off = 0; off < data.length; ) off += fs.writeSync(fd, data, off, data.length - off);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    const dir = fs.openSync(m.dir, O_RDONLY | O_DIRECTORY);
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
    parentPort.postMessage({ id: m.id, ok: true });
  } catch (e) {
    parentPort.postMessage({ id: m.id, ok: false, code: e && e.code, message: String((e && e.message) || e) });
  }
});
`;

const THREADS = 4;

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly code?: string;
  readonly message?: string;
}

class WriterThreads {
  private readonly threads: { worker: Worker; pending: number }[] = [];
  private readonly calls = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 1;

  write(file: string, dir: string, data: Buffer, mode: number): Promise<void> {
    const thread = this.pick();
    const id = this.nextId++;
    if (thread.pending++ === 0) thread.worker.ref();
    const wire = data.buffer instanceof SharedArrayBuffer ? { sab: data.buffer, off: data.byteOffset, len: data.byteLength } : data;
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        if (--thread.pending === 0) thread.worker.unref();
      };
      this.calls.set(id, {
        resolve: () => {
          done();
          resolve();
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      thread.worker.postMessage({ id, file, dir, data: wire, mode });
    });
  }

  /**
   * Starts the threads ahead of the first write (a backup calls this as it begins): a thread takes tens
   * of milliseconds to come online, which an incremental's first objects would otherwise wait for.
   */
  prestart(): void {
    while (this.threads.length < THREADS) this.start();
  }

  /** An idle thread, a new one while there are fewer than THREADS, else the least busy. */
  private pick(): { worker: Worker; pending: number } {
    const idle = this.threads.find((t) => t.pending === 0);
    if (idle) return idle;
    if (this.threads.length < THREADS) return this.start();
    return this.threads.reduce((a, b) => (b.pending < a.pending ? b : a));
  }

  /** unref() on a Worker that has not come online yet does not last: an idle thread is unref'd once online. */
  private start(): { worker: Worker; pending: number } {
    const worker = new Worker(WRITER_SOURCE, { eval: true });
    const thread = { worker, pending: 0 };
    worker.on('message', (m: Reply) => this.settle(m));
    worker.on('error', (e) => this.failAll(e));
    worker.once('online', () => {
      if (thread.pending === 0) worker.unref();
    });
    this.threads.push(thread);
    return thread;
  }

  private settle(m: Reply): void {
    const call = this.calls.get(m.id);
    if (!call) return;
    this.calls.delete(m.id);
    if (m.ok) call.resolve();
    else call.reject(Object.assign(new Error(m.message), { code: m.code }));
  }

  private failAll(e: Error): void {
    for (const call of this.calls.values()) call.reject(e);
    this.calls.clear();
    this.threads.length = 0; // the next write starts fresh threads
  }
}

/** One set per process, shared by every POSIX repository. */
export const writerThreads = new WriterThreads();
