import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flushInBackground } from './background-flush';

describe('flushInBackground', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-flush-'));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('syncs the file and its WAL every interval, one round at a time, and stops once the round in flight is over', async () => {
    const path = join(dir, 'catalog.sqlite');
    writeFileSync(path, 'rows');
    writeFileSync(`${path}-wal`, 'pages');
    const handle = await fsp.open(path, 'r');
    const prototype = Object.getPrototypeOf(handle) as { datasync: () => Promise<void> };
    await handle.close();
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const synced = jest.spyOn(prototype, 'datasync').mockImplementation(() => slow);

    const flush = await flushInBackground(path, 20);
    await new Promise((resolve) => setTimeout(resolve, 120));
    // Both files in the first round; no second round while the first is in flight.
    expect(synced).toHaveBeenCalledTimes(2);

    let stopped = false;
    const stopping = flush.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(synced).toHaveBeenCalledTimes(2);
  });

  it('flushes what is there: a file without its WAL', async () => {
    const path = join(dir, 'catalog.sqlite');
    writeFileSync(path, 'rows');
    const handle = await fsp.open(path, 'r');
    const prototype = Object.getPrototypeOf(handle) as { datasync: () => Promise<void> };
    await handle.close();
    const synced = jest.spyOn(prototype, 'datasync');

    const flush = await flushInBackground(path, 10);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await flush.stop();

    expect(synced.mock.calls.length).toBeGreaterThanOrEqual(2);
  });
});
