import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const hook = join(root, 'test/contract/support/ts-require-hook.js');

/** A standalone worker (apps/worker/src/main.ts) as its own OS process, loaded from the sources. */
export class WorkerProcess {
  private child: ChildProcess | null = null;
  private output = '';

  constructor(
    private readonly stateDir: string,
    private readonly env: Record<string, string>,
  ) {}

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and resolves once it takes jobs (its catalog replica caught up with the log; needs log level info). */
  async start(timeoutMs = 60_000): Promise<void> {
    this.output = '';
    const child = spawn(process.execPath, ['--require', hook, join(root, 'apps/worker/src/main.ts')], {
      cwd: this.stateDir,
      env: { ...process.env, STRATA_CONFIG: '', STRATA_STATE_PATH: this.stateDir, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const collect = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`worker did not start in ${timeoutMs} ms:\n${this.output}`)), timeoutMs);
      const watch = () => {
        if (!this.output.includes('taking jobs')) return;
        clearTimeout(timer);
        child.stdout!.off('data', watch);
        ok();
      };
      child.stdout!.on('data', watch);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        fail(new Error(`worker exited (${code ?? signal}) before taking jobs:\n${this.output}`));
      });
    });
  }

  /** SIGKILL: no clean-up of any kind, as in a crash. Resolves when the process is gone. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM: the worker suspends its jobs and releases their leases. */
  async stop(): Promise<number | null> {
    return this.signal('SIGTERM');
  }

  get log(): string {
    return this.output;
  }

  private async signal(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (!child || !this.running) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    child.kill(signal);
    return exited;
  }
}
