import { existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

/** The repository's TypeScript require hook: `.ts` on load, and the `@strata/*` aliases. */
const TS_REQUIRE_HOOK = resolve(__dirname, '../../../test/contract/support/ts-require-hook.js');

/** What `new Worker(file, { execArgv })` needs to start a thread from one of this repository's modules. */
export interface ThreadEntry {
  readonly file: string;
  /** Undefined: the thread takes the process's own execArgv, as any worker does. */
  readonly execArgv?: readonly string[];
}

/**
 * How a worker thread starts from the module `name` in `dir`, in the form the caller runs in: the
 * caller passes its own `__filename`, so from dist/ the thread loads the compiled `.js`. From the sources
 * (jest, or node with the require hook) it is the `.ts`, and a thread starts with a fresh module loader
 * that cannot read TypeScript, so the thread registers the repository's require hook first.
 */
export const threadEntry = (callerFile: string, name: string): ThreadEntry => {
  const form = extname(callerFile);
  const file = join(callerFile, '..', `${name}${form}`);
  if (form !== '.ts') return { file };
  if (!existsSync(TS_REQUIRE_HOOK)) throw new Error(`${file} needs the TypeScript require hook ${TS_REQUIRE_HOOK}, which is missing`);
  return { file, execArgv: ['--require', TS_REQUIRE_HOOK] };
};
