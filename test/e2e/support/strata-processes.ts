import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { SERVICE_NODE_FLAGS } from '@strata/threads';
import { UNLIMITED_QUOTAS } from './quotas';
import { StrataClient } from './strata-client';

const ROOT = join(__dirname, '..', '..', '..');
/** Child processes run the TypeScript sources (no build needed), as the multi-process contract test does. */
const HOOK = join(ROOT, 'test', 'contract', 'support', 'ts-require-hook.js');

/** A child process of the test, with its output kept for the failure message. */
export class ChildUnderTest {
  output = '';
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Waits until its output contains `text`; fails with the output if it exits or the deadline passes. */
  async printed(text: string | RegExp, deadlineMs = 120_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (!(typeof text === 'string' ? this.output.includes(text) : text.test(this.output))) {
      if (exited || Date.now() > deadline)
        throw new Error(`${this.name} did not print ${String(text)}; it printed:\n${this.output.slice(-4000)}`);
      await sleep(50);
    }
  }

  /** Stops it by pid; SIGKILL is a crash, SIGTERM an orderly shutdown. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill(signal);
    await this.exited;
  }
}

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const spawnNode = (name: string, args: readonly string[], env: Record<string, string>) =>
  new ChildUnderTest(
    name,
    spawn(process.execPath, [...args], {
      cwd: ROOT,
      env: { ...process.env, ...UNLIMITED_QUOTAS, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );

/** `node scripts/esdb-double.js --port 0`: the EventStoreDB double as its own process. */
export const startEsdbDoubleProcess = async (): Promise<{ process: ChildUnderTest; connectionString: string }> => {
  const double = spawnNode('esdb-double', [join(ROOT, 'scripts', 'esdb-double.js'), '--port', '0'], {});
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: double.child.stdout! });
    lines.once('line', resolve);
    void double.exited.then(() => reject(new Error(`esdb-double exited: ${double.output}`)));
  });
  const connectionString = /listening on (\S+)/.exec(line)?.[1];
  if (!connectionString) throw new Error(`esdb-double printed ${line}`);
  return { process: double, connectionString };
};

/** An HTTP process on a free port (the api alone, or the embedded api with its worker); resolves once /healthz answers. */
const startHttpProcess = async (entry: string, name: string, env: Record<string, string>) => {
  const port = await freePort();
  const api = spawnNode(name, [...SERVICE_NODE_FLAGS, '--require', HOOK, join(ROOT, entry)], {
    ...env,
    STRATA_OSAPI_VOLUME_LISTEN: '127.0.0.1',
    STRATA_OSAPI_VOLUME_LISTEN_PORT: String(port),
  });
  await api.printed('listening on http://');
  const client = new StrataClient(`http://127.0.0.1:${port}`);
  await client.waitFor('/healthz', () => true, 60_000);
  return { process: api, client };
};

/** An api process (`apps/api/src/main.ts`): no worker, jobs are for worker processes. */
export const startApiProcess = (name: string, env: Record<string, string>) => startHttpProcess('apps/api/src/main.ts', name, env);

/** The embedded process as `npm start` runs it (`apps/strata/src/main.ts`): the api with its worker. */
export const startStrataProcess = (name: string, env: Record<string, string>) => startHttpProcess('apps/strata/src/main.ts', name, env);

/** A worker process (`apps/worker/src/main.ts`); resolves once it says it has started. */
export const startWorkerProcess = async (name: string, env: Record<string, string>) => {
  const worker = spawnNode(name, [...SERVICE_NODE_FLAGS, '--require', HOOK, join(ROOT, 'apps', 'worker', 'src', 'main.ts')], env);
  await worker.printed(/worker \S+ started/);
  return worker;
};
