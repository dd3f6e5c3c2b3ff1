import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets a heap grow past what the last full collection kept before it collects again, in percent
 * (V8's flag `--heap-growing-percent`). Left to itself V8 grows it by up to 4×: an import of 1,000,000
 * events kept about 50 MB alive on the event loop's heap but let garbage reach hundreds of MB first, and
 * the process peaked at 416–479 MiB; at 50% it peaked at 291 MiB. It was once reverted because restores
 * then allocated a buffer per piece and ran 40% longer; they read into their own buffers now and take the
 * same time either way (docs/performance.md). A backup service shares its host with the workloads whose
 * volumes it keeps: memory it does not need it should not hold.
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
