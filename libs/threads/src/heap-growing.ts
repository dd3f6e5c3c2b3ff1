import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets a heap grow past what the last full collection kept before it collects again, in percent
 * (V8's flag `--heap-growing-percent`). Left to itself V8 grows it by up to 4×: an import of 100,000
 * backups kept at most 57 MB alive on the event loop's heap, but let it reach 240 MB of garbage first, and
 * the process's peak RSS was 444 MiB. At 50% the same import peaked at 302 MiB in the same time, and at
 * 10,000 backups 254 against 327 MiB; rebuilds took the same CPU (docs/performance.md). A backup service
 * shares its host with the workloads whose volumes it keeps: memory it does not need it should not hold.
 */
export const HEAP_GROWING_PERCENT = 50;

const GIVEN = /^--heap[-_]growing[-_]percent\b/;

/**
 * Sets the growth for every heap of the process (the event loop's and each thread's, started after this),
 * unless the operator gave the flag to node; returns whether it set it. Call it first thing in a service's main.
 */
export const keepHeapsNearLiveSize = (execArgv: readonly string[] = process.execArgv): boolean => {
  if (execArgv.some((arg) => GIVEN.test(arg))) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
};
