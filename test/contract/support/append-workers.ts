import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface WorkerAppend {
  readonly stream: string;
  readonly expected: string;
  readonly eventId: string;
  /** 'won', 'lost' (WrongExpectedVersion) or 'error: …' for anything else. */
  readonly outcome: string;
  readonly position?: string;
}

export interface WorkerReport {
  readonly name: string;
  readonly appends: readonly WorkerAppend[];
}

const HOOK = join(__dirname, 'ts-require-hook.js');
const WORKER = join(__dirname, 'sqlite-append-worker.js');

/** Reads a child's stdout line by line; each wait is bounded by the run's deadline. */
class WorkerLines {
  private readonly lines: AsyncIterator<string>;
  private stderr = '';

  constructor(readonly child: ChildProcess) {
    this.lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
  }

  async next(expecting: string): Promise<string> {
    const { value, done } = await this.lines.next();
    if (done) throw new Error(`append worker ended while ${expecting}: ${this.stderr}`);
    return value;
  }
}

/**
 * Starts one `node` process per name on the same SQLite file and releases `rounds` rounds to all of them
 * at once (a barrier per round), then returns their reports. On the deadline the children are killed by
 * pid, which ends their output and fails the run.
 */
export const runAppendWorkers = async (dbPath: string, names: readonly string[], rounds: number, deadlineMs = 45_000) => {
  const workers = names.map((name) => new WorkerLines(spawn(process.execPath, ['--require', HOOK, WORKER, dbPath, name, String(rounds)])));
  const timer = setTimeout(() => workers.forEach((worker) => worker.child.kill('SIGKILL')), deadlineMs);
  try {
    await Promise.all(workers.map((worker) => worker.next('starting')));
    for (let r = 0; r < rounds; r++) {
      for (const worker of workers) worker.child.stdin!.write('go\n');
      await Promise.all(workers.map((worker) => worker.next(`in round ${r}`)));
    }
    const reports = await Promise.all(workers.map((worker) => worker.next('reporting')));
    return reports.map((line) => JSON.parse(line) as WorkerReport);
  } finally {
    clearTimeout(timer);
    for (const worker of workers) worker.child.stdin!.end();
  }
};
