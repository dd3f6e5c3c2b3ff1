import { realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { managedPathRefusal, policyPathsToResolve, type ManagedPathPolicy } from './managed-path-policy';

/**
 * The filesystem half of the policy: resolves the symlinks of the policy's directories and Strata's own
 * paths (at each call, not at start-up: a directory made later, or a symlink changed since, counts as it
 * is now), then decides. Without `found`, only the path as written is judged; with it, also the kind of
 * what it leads to and its realpath.
 */
export const managedPathRefusalAt = async (
  path: string,
  policy: ManagedPathPolicy,
  found?: { readonly resolved: string; readonly kind: 'file' | 'block' },
): Promise<string | null> => {
  const realpaths = new Map<string, string>();
  await Promise.all(
    policyPathsToResolve(policy).map(async (p) => {
      const real = await realpathOfMaybeMissing(p);
      if (real !== undefined) realpaths.set(p, real);
    }),
  );
  if (found) realpaths.set(path, found.resolved);
  return managedPathRefusal({ path, kind: found?.kind, realpaths }, policy);
};

/** A file not made yet (the event store's -shm) still lies where its directory leads. */
const realpathOfMaybeMissing = (p: string): Promise<string | undefined> =>
  realpath(p).catch(() =>
    realpath(dirname(p)).then(
      (dir) => join(dir, basename(p)),
      () => undefined,
    ),
  );
