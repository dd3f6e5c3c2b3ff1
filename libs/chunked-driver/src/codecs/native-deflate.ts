import { join } from 'node:path';
import { chunkedDriverAddonPaths, loadNativeAddon } from '../native-addon';
import type { IntoDecompressor } from './codec';

/**
 * Intel ISA-L's deflate (igzip) through the small add-on in libs/chunked-driver/native, built at set-up by
 * scripts/build-native.sh against Debian's libisal-dev. On the bench's mixed data it deflates several
 * times faster than Node's zlib at level 1 (docs/performance.md). It is optional: where the add-on was not
 * built (no libisal-dev, no compiler), or STRATA_DEFLATE=node asks for it, Node's zlib does the work, and
 * the bytes still inflate the same (only their compressed form differs).
 */
export interface NativeDeflate {
  /**
   * The raw deflate of `input` alone, not final and ending on a byte boundary (a full flush), run on the
   * libuv thread pool as Node's zlib runs; `out` is null where it would not fit in the stored size.
   * `adler` is the input's Adler-32 when `withAdler`, else 0. `input` must not change until it settles.
   */
  deflate(input: Buffer, level: number, withAdler: boolean): Promise<{ out: Buffer | null; adler: number }>;
  /** Adler-32 continued from `init` over `data`, on the calling thread (SIMD, several GB/s). */
  adler32(data: Uint8Array, init: number): number;
  /** A zlib stream (RFC 1950) to inflate step by step; freed with its handle. Absent from add-ons built before it. */
  inflateOpen?(): unknown;
  /**
   * One step of `stream` on the libuv pool: from `input` into `out` until `out` is full, `input` is used up or
   * the stream ends (its Adler-32 checked). Rejects on damaged data or data after the end. One step at a time.
   */
  inflateStep?(stream: unknown, input: Uint8Array, out: Uint8Array): Promise<{ consumed: number; produced: number; finished: boolean }>;
}

/** ISA-L's fastest level: what zlib level 1 (Strata's default) is served with. Other levels stay on Node's zlib. */
export const NATIVE_DEFLATE_LEVEL = 1;

/** From the sources (jest, ts-node) and from the compiled tree (dist/libs/chunked-driver/src/codecs). */
export const NATIVE_DEFLATE_PATHS = chunkedDriverAddonPaths(join('native', 'build', 'Release', 'strata_deflate.node'));

/** The add-on from the first of `paths` that exists and loads, or null: never throws (Node's zlib serves then). */
export const loadNativeDeflate = (paths: readonly string[]): NativeDeflate | null =>
  loadNativeAddon<NativeDeflate>(paths, (addon) => typeof addon.deflate === 'function' && typeof addon.adler32 === 'function');

let loaded: NativeDeflate | null | undefined;
/** The add-on, loaded on first use; null where Node's zlib must serve (absent, or STRATA_DEFLATE=node). */
export const nativeDeflate = (): NativeDeflate | null => {
  if (loaded === undefined) loaded = process.env.STRATA_DEFLATE === 'node' ? null : loadNativeDeflate(NATIVE_DEFLATE_PATHS);
  return loaded;
};

/** Which deflate serves zlib level 1 in this process, for the start-up log and the bench. */
export const deflateImplementation = (): 'isa-l' | 'node-zlib' => (nativeDeflate() ? 'isa-l' : 'node-zlib');

/** A line for the log: which deflate zlib level 1 runs on, and why Node's zlib where it is that. */
export const deflateInUse = (): string =>
  nativeDeflate()
    ? 'zlib level 1 deflates with Intel ISA-L (native add-on strata_deflate)'
    : process.env.STRATA_DEFLATE === 'node'
      ? "zlib deflates with Node's zlib (STRATA_DEFLATE=node)"
      : "zlib deflates with Node's zlib: the ISA-L add-on is not built (scripts/build-native.sh, with libisal-dev)";

/**
 * A zlib stream inflated by ISA-L straight into the caller's buffers, or null where Node's zlib must serve
 * (no add-on, an add-on built before inflate, or STRATA_DEFLATE=node). On the bench image's 1 GiB `zlib`
 * object it inflates several times faster than Node's zlib, which was a `zlib` restore's slowest stage.
 */
export const nativeInflateInto = (): IntoDecompressor | null => {
  const native = nativeDeflate();
  const { inflateOpen, inflateStep } = native ?? {};
  if (!inflateOpen || !inflateStep) return null;
  const stream = inflateOpen.call(native);
  let finished = false;
  return {
    into: async (input, out) => {
      const step = await inflateStep.call(native, stream, input, out);
      finished = step.finished;
      return { consumed: step.consumed, produced: step.produced };
    },
    end: async () => {
      if (!finished) throw new Error('the zlib stream is cut short');
    },
    drop: () => undefined, // the stream is freed with its handle
  };
};
