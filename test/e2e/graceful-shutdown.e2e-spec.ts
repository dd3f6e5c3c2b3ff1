import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StrataClient } from './support/strata-client';

const root = resolve(__dirname, '../..');
const hook = join(root, 'test/contract/support/ts-require-hook.js');

const freePort = () =>
  new Promise<number>((ok) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });

/** The embedded process as `npm start` runs it (sources loaded without a build). */
const startProcess = (stateDir: string, port: number): ChildProcess =>
  spawn(process.execPath, ['--require', hook, join(root, 'apps/strata/src/main.ts')], {
    cwd: stateDir,
    env: { ...process.env, STRATA_STATE_PATH: stateDir, STRATA_OSAPI_VOLUME_LISTEN_PORT: String(port), STRATA_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const waitHealthy = async (client: StrataClient, child: ChildProcess) => {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`strata exited with ${child.exitCode}`);
    try {
      if ((await client.get('/healthz')).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error('strata did not become healthy');
};

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((ok) => (child.exitCode !== null ? ok(child.exitCode) : child.once('exit', (code) => ok(code))));

describe('the embedded process (npm start)', () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'strata-shutdown-'));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('shuts down cleanly on SIGINT without losing an acknowledged volume', async () => {
    const port = await freePort();
    const client = new StrataClient(`http://127.0.0.1:${port}`);
    const first = startProcess(stateDir, port);
    await waitHealthy(client, first);

    const acknowledged: string[] = [];
    for (let i = 0; i < 3; i++) acknowledged.push((await client.post('/v3/volumes', { volume: { size: 1 } })).body.volume.id);
    const requests = Array.from({ length: 20 }, async () => {
      try {
        const res = await client.post('/v3/volumes', { volume: { size: 1, name: 'v' } });
        if (res.status === 202) acknowledged.push(res.body.volume.id);
      } catch {
        // the connection was closed by the shutdown: not acknowledged
      }
    });
    await sleep(30);
    first.kill('SIGINT');
    await Promise.all(requests);
    expect(await exitOf(first)).toBe(0);

    const second = startProcess(stateDir, port);
    try {
      await waitHealthy(client, second);
      for (const id of acknowledged) expect((await client.get(`/v3/volumes/${id}`)).status).toBe(200);
    } finally {
      second.kill('SIGINT');
      await exitOf(second);
    }
  }, 180_000);
});
