import { normalize } from 'node:path';

/**
 * What Cinder's manage API may adopt. An API admin is not root on the host: without a policy, managing
 * `/etc/shadow` and backing it up would read it, and a restore into it would overwrite it.
 */
export interface ManagedPathPolicy {
  /**
   * `managed_volume_paths`: absolute directories, which admit regular files and block devices at or
   * beneath them, and globs (`*`, `?`, `[...]`, as Python's fnmatch: `*` also matches `/`), which admit
   * block devices whose path matches.
   */
  readonly managedVolumePaths: readonly string[];
  /** Strata's own files and directories (and everything beneath them): never a volume. */
  readonly ownPaths: readonly { readonly option: string; readonly path: string }[];
}

/** A path offered to the manage API, as the filesystem describes it. */
export interface ManagedPathFacts {
  /** Absolute and normalized, as written. */
  readonly path: string;
  /**
   * What the path leads to (symlinks followed). Undefined before the path was looked at: the path as
   * written is judged first, so that nothing about a path outside the policy (not even whether it
   * exists) is told to the caller.
   */
  readonly kind?: 'file' | 'block';
  /**
   * Where symlinks lead, for `path` and for every directory and own path of the policy that could be
   * resolved. A path missing from the map is taken as it is written.
   */
  readonly realpaths: ReadonlyMap<string, string>;
}

const isGlob = (entry: string) => /[*?[]/.test(entry);

/** A directory entry as compared: normalized, without a trailing slash. */
const directoryOf = (entry: string) => normalize(entry).replace(/(.)\/+$/, '$1');

/** The policy's paths whose symlinks `managedPathRefusal` needs resolved in `facts.realpaths`, besides the path's own. */
export const policyPathsToResolve = (policy: ManagedPathPolicy): string[] => [
  ...policy.managedVolumePaths.filter((entry) => !isGlob(entry)).map(directoryOf),
  ...policy.ownPaths.map((own) => own.path),
];

/** `path` is `dir` or lies beneath it. */
const isWithin = (path: string, dir: string) => path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

/** Where the class opened at `open` closes: a `]` first (after an optional `!`) belongs to the class. */
const classEnd = (glob: string, open: number) => {
  let j = open + 1;
  if (glob[j] === '!') j++;
  if (glob[j] === ']') j++;
  return glob.indexOf(']', j);
};

/** fnmatch's translation: `*` any run of characters (`/` too), `?` one, `[...]` a class, `[!...]` its complement. */
export const globPattern = (glob: string): RegExp => {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    const end = c === '[' ? classEnd(glob, i) : -1;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (end > 0) {
      const body = glob.slice(i + 1, end);
      const negated = body.startsWith('!');
      source += `[${negated ? '^' : ''}${(negated ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
};

/**
 * Why `facts.path` may not be managed under `policy`, as a phrase that follows the path, or null when it
 * may. Both the path as written and where it leads must pass: a symlink in an admitted directory may point
 * anywhere, and a symlink elsewhere must not smuggle a path in.
 */
export const managedPathRefusal = (facts: ManagedPathFacts, policy: ManagedPathPolicy): string | null => {
  const formsOf = (path: string) => [...new Set([path, facts.realpaths.get(path) ?? path])];
  const candidate = formsOf(facts.path);

  for (const own of policy.ownPaths)
    if (formsOf(own.path).some((ownForm) => candidate.some((form) => isWithin(form, ownForm))))
      return `is Strata's own state (${own.option} ${own.path}), not a volume`;

  const admittedBy = (form: string) => (entry: string) =>
    isGlob(entry) ? facts.kind !== 'file' && globPattern(entry).test(form) : formsOf(directoryOf(entry)).some((dir) => isWithin(form, dir));
  if (candidate.every((form) => policy.managedVolumePaths.some(admittedBy(form)))) return null;

  const listed = `managed_volume_paths (${policy.managedVolumePaths.join(', ')})`;
  const resolved = candidate[1];
  if (resolved !== undefined && policy.managedVolumePaths.some(admittedBy(facts.path)))
    return `is outside ${listed}: it leads to ${resolved}`;
  const onlyGlobsMatch = facts.kind === 'file' && policy.managedVolumePaths.some((e) => isGlob(e) && globPattern(e).test(facts.path));
  return onlyGlobsMatch ? `is outside ${listed}: a device glob admits block devices only` : `is outside ${listed}`;
};
