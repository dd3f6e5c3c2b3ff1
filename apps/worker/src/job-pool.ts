import { Logger } from '@nestjs/common';
import { deflateInUse, WorkerPool } from '@strata/chunked-driver';

/**
 * One pool of hashing/compression threads for every job of the worker process. A pool per job started
 * two threads for each backup, restore and verification (bench:e2e showed the start inside every job's
 * data path); the engine shares a pool between runs by design (pinned streams keep their order). Made when
 * the worker starts (JobDispatcher.start), so a process without a worker starts no threads and the first
 * job does not pay for them; replaced when a thread has died, so one crash fails the jobs that were using
 * it, not every later one.
 */
export class JobPool {
  private pool: WorkerPool | null = null;

  constructor(private readonly threads = 2) {}

  get(): WorkerPool {
    if (!this.pool?.usable) {
      // Said once, with the first pool: which deflate serves zlib (ISA-L's add-on, or Node's zlib without it).
      if (!this.pool) new Logger('JobPool').log(deflateInUse());
      void this.pool?.close();
      this.pool = new WorkerPool(this.threads);
    }
    return this.pool;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }
}
