import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStrataProcess, type ChildUnderTest } from './support/strata-processes';
import type { StrataClient } from './support/strata-client';

const JOBS = 200;

/**
 * Many jobs at once, in a real process: the worker's bookkeeping does not grow with them (no listener
 * left on a shared signal per job, which Node reports as a MaxListenersExceededWarning outside the JSON
 * log), so every line the process prints stays a JSON object.
 */
describe('two hundred jobs at once', () => {
  let stateDir: string;
  let api: { process: ChildUnderTest; client: StrataClient };
  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'strata-load-'));
    api = await startStrataProcess('strata', { STRATA_STATE_PATH: stateDir });
  });
  afterAll(async () => {
    await api?.process.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('runs them with every log line a JSON object, and stays ready', async () => {
    const created = await Promise.all(
      Array.from({ length: JOBS }, (_, i) => api.client.post('/v3/volumes', { volume: { size: 1, name: `load-${i}` } })),
    );
    expect(created.map((r) => r.status)).toEqual(Array(JOBS).fill(202));
    await api.client.waitFor(
      '/v3/volumes/detail?limit=1000',
      (b: any) => b.volumes.filter((v: any) => v.status === 'available').length === JOBS,
    );
    expect((await api.client.get('/readyz')).status).toBe(200);

    const lines = api.process.output.split('\n').filter((line) => line.trim() !== '');
    const notJson = lines.filter((line) => {
      try {
        return typeof JSON.parse(line) !== 'object';
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
  });
});
