import { existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

/** The repository's TypeScript require hook: `.ts` on load, and the `@strata/*` aliases. */
const TS_REQUIRE_HOOK = resolve(__dirname, '../../../../test/contract/support/ts-require-hook.js');

export interface PoolWorkerEntry {
  readonly file: string;
  /** Undefined: the thread takes the process's own execArgv, as any worker does. */
  readonly execArgv?: readonly string[];
}

/**
 * How a pool thread starts: from pool-worker beside this file, in this file's own form. From dist/ that
 * is the compiled `.js`. From the sources (jest, or node with the require hook) it is the `.ts`, and a
 * thread starts with a fresh module loader that cannot read TypeScript, so the thread registers the
 * repository's require hook first.
 */
export const poolWorkerEntry = (): PoolWorkerEntry => {
  const form = extname(__filename);
  const file = join(__dirname, `pool-worker${form}`);
  if (form !== '.ts') return { file };
  if (!existsSync(TS_REQUIRE_HOOK)) throw new Error(`${file} needs the TypeScript require hook ${TS_REQUIRE_HOOK}, which is missing`);
  return { file, execArgv: ['--require', TS_REQUIRE_HOOK] };
};
