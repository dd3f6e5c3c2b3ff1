import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where an add-on built under libs/chunked-driver (`relative`, e.g. `native/build/Release/x.node`) is found:
 * from the sources (jest, ts-node: this file is in libs/chunked-driver/src) and from the compiled tree
 * (dist/libs/chunked-driver/src, whose add-ons stay where scripts/build-native.sh built them).
 */
export const chunkedDriverAddonPaths = (relative: string): readonly string[] => [
  join(__dirname, '..', relative),
  join(__dirname, '..', '..', '..', '..', 'libs', 'chunked-driver', relative),
];

/**
 * The add-on from the first of `paths` that exists, loads and that `usable` accepts, or null: never throws.
 * A missing or unloadable add-on (another Node ABI, a missing shared library) leaves its caller on the way
 * it works without it.
 */
export const loadNativeAddon = <T>(paths: readonly string[], usable: (addon: Partial<T>) => boolean): T | null => {
  for (const path of paths) {
    if (!existsSync(path)) continue;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a native add-on is loaded by require alone
      const addon = require(path) as Partial<T>;
      if (usable(addon)) return addon as T;
    } catch {
      // Not loadable here: the next path, or none.
    }
  }
  return null;
};
