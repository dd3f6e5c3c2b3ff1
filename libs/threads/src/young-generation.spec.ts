import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keepSemiSpaceToEventLoop, SERVICE_NODE_FLAGS } from './young-generation';

const HOOK = join(__dirname, '../../../test/contract/support/ts-require-hook.js');

/**
 * Runs `script` in a node started with `flags`: what a heap gets is fixed when V8 makes it, so only a
 * process of its own shows it. Returns the event loop's and a thread's semi-space, in MiB; the thread asks
 * for V8's own young generation (48 MB).
 */
const semiSpaces = (flags: readonly string[], keepToEventLoop: boolean): { eventLoop: number; thread: number } => {
  // Enough survives each scavenge that a new space grows to its largest: two semi-spaces.
  const measure = `
    const v8 = require('node:v8');
    let keep = [];
    for (let i = 0; i < 2e6; i++) { keep.push({ i }); if (keep.length > 300000) keep = []; }
    const semiSpace = Math.round(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 2 / 1048576);
  `;
  const script = `
    ${keepToEventLoop ? `require(${JSON.stringify(join(__dirname, 'young-generation.ts'))}).keepSemiSpaceToEventLoop();` : ''}
    const { Worker } = require('node:worker_threads');
    const thread = new Worker(${JSON.stringify(`${measure}; require('node:worker_threads').parentPort.postMessage(semiSpace);`)}, {
      eval: true,
      resourceLimits: { maxYoungGenerationSizeMb: 48 },
    });
    ${measure}
    thread.once('message', (t) => { console.log(JSON.stringify({ eventLoop: semiSpace, thread: t })); thread.terminate(); });
  `;
  const run = spawnSync(process.execPath, [...flags, '--require', HOOK, '-e', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as { eventLoop: number; thread: number };
};

describe("the event loop's young generation", () => {
  it('gives node the flags wherever this repository starts a service outside its own code', () => {
    const root = join(__dirname, '../../..');
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const compose = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
    for (const main of ['strata', 'worker'])
      expect(scripts[main === 'strata' ? 'start' : 'start:worker']).toContain(
        `node ${SERVICE_NODE_FLAGS.join(' ')} dist/apps/${main}/src/main.js`,
      );
    for (const main of ['api', 'worker']) expect(compose).toContain(`node ${SERVICE_NODE_FLAGS.join(' ')} dist/apps/${main}/src/main.js`);
  });

  it("keeps node's flag to the event loop's heap: a thread then gets the young generation it asks for", () => {
    const sizes = semiSpaces(SERVICE_NODE_FLAGS, true);

    expect(sizes.eventLoop).toBe(4);
    expect(sizes.thread).toBe(16);
  });

  it("left set, the flag would size every thread's heap too, whatever the thread asks for", () => {
    expect(semiSpaces(SERVICE_NODE_FLAGS, false).thread).toBe(4);
  });

  it('clears the flag only when node was given it', () => {
    expect(keepSemiSpaceToEventLoop(['--enable-source-maps'])).toBe(false);
    expect(keepSemiSpaceToEventLoop(['--max_semi_space_size=8'])).toBe(true);
  });
});
