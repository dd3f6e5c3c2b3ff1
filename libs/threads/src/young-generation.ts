import { setFlagsFromString } from 'node:v8';

/**
 * The semi-space of a service's event loop heap, in MiB: its young generation is three of them. With
 * V8's own 16 MiB the event loop's new space grew to 32 MB while Nest started and never shrank, a fifth
 * of an idle service's RSS (151 MiB idle; 130 MiB with 4 MiB). Measured 2026-12-07 (`GLIBC_TUNABLES` unset, a
 * slow hour): `bench:e2e`'s service peaked at 264–290 MB with V8's size, 248 MB with 4 MiB and 230 MB with 2 MiB, its
 * times within the noise (224–258 MB over three full runs with 4 MiB); `bench:catalog-scale`'s at 278–287 MiB against
 * 255–260. The million-event import, the one path of the event loop that allocates hard, took about 5% longer with 4
 * MiB (medians of six and five runs) and 8% with 2 MiB, so 4 (docs/performance.md).
 */
const EVENT_LOOP_SEMI_SPACE_MB = 4;

/** What `npm start`, the benches and docker-compose give node before a service's main. */
export const SERVICE_NODE_FLAGS: readonly string[] = [`--max-semi-space-size=${EVENT_LOOP_SEMI_SPACE_MB}`];

const GIVEN = /^--max[-_]semi[-_]space[-_]size\b/;

/**
 * Leaves node's `--max-semi-space-size` to the event loop's heap alone. Node takes V8 flags only for the
 * whole process, V8 reads this one again for every heap it makes, and for a thread it wins over the
 * thread's own `resourceLimits`: a catalog build's thread would build with the event loop's small young
 * generation, and builds with 8 MB or less took 20 s where 16 MB took 17 (see catalog-file-build.ts).
 * Cleared once the event loop's heap is made, every thread gets the size it asks for, or V8's. Call it
 * first thing in a service's main, before any thread starts; returns whether the flag was given.
 */
export const keepSemiSpaceToEventLoop = (execArgv: readonly string[] = process.execArgv): boolean => {
  if (!execArgv.some((arg) => GIVEN.test(arg))) return false;
  setFlagsFromString('--max-semi-space-size=0');
  return true;
};
