import { threadEntry } from '@strata/threads';
import { Worker } from 'node:worker_threads';
import { toWire } from '../pool/wire';
import type { WriterReply, WriterRequest } from './posix-writer-thread';

/**
 * Threads that write whole small files durably with blocking calls (posix-writer-thread.ts). An
 * incremental writes hundreds of small objects; through the promise API each costs eight round trips
 * between the main thread and libuv's pool, and waking a pool thread for each of them costs the main
 * thread more than the writes cost the disk. Here it is one message each way. Threads start when a
 * backup begins (or on first use) and do not keep the process alive while idle.
 *
 * Two: each thread is a V8 isolate, about 8 MB of RSS even idle, and two write a 1% incremental's objects
 * as fast as four did (engine alone, 3 alternating runs of 3: 570-667 ms with two, 549-646 with four,
 * 2026-12-06).
 */
const THREADS = 2;

class WriterThreads {
  private readonly threads: { worker: Worker; pending: number }[] = [];
  private readonly calls = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 1;

  write(file: string, dir: string, data: Buffer, mode: number): Promise<void> {
    const thread = this.pick();
    const id = this.nextId++;
    if (thread.pending++ === 0) thread.worker.ref();
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
      thread.worker.postMessage({ id, file, dir, data: toWire(data), mode } satisfies WriterRequest);
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
    const { file, execArgv } = threadEntry(__filename, 'posix-writer-thread');
    const worker = new Worker(file, execArgv ? { execArgv: [...execArgv] } : {});
    const thread = { worker, pending: 0 };
    worker.on('message', (m: WriterReply) => this.settle(m));
    worker.on('error', (e) => this.failAll(e));
    worker.once('online', () => {
      if (thread.pending === 0) worker.unref();
    });
    this.threads.push(thread);
    return thread;
  }

  private settle(m: WriterReply): void {
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
