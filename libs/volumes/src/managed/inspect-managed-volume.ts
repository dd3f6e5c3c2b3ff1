import { constants, type BigIntStats } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, normalize, resolve, sep } from 'node:path';
import { blockDeviceIsReadOnly, blockDeviceSizeBytes } from '../block/block-device-sysfs';
import { InvalidManagedVolume } from '../errors';
import type { VolumeLocation } from '../volume-location';
import { managedPathRefusalAt } from './managed-path-check';
import type { ManagedPathPolicy } from './managed-path-policy';

export interface InspectManagedVolumeOptions {
  /** The provider's own image directory: managing a file in it would let two volumes share bytes. */
  readonly ownDirectory: string;
  /** `managed_volume_paths` and Strata's own state; without it any file or device may be managed. */
  readonly managedPaths?: ManagedPathPolicy;
  /** Only for tests that fake the kernel's block device table. */
  readonly sysfsRoot?: string;
}

/**
 * Checks that `path` names an existing regular file or block device that Strata can take over
 * for Cinder's manage API, and measures it. Every refusal is an InvalidManagedVolume whose reason
 * says what is wrong, because the operator sees it as the API's error message.
 */
export const inspectManagedVolume = async (
  path: string,
  { ownDirectory, managedPaths, sysfsRoot }: InspectManagedVolumeOptions,
): Promise<VolumeLocation> => {
  const refuse = (reason: string): never => {
    throw new InvalidManagedVolume(path, reason);
  };
  if (typeof path !== 'string' || path === '' || !isAbsolute(path)) refuse('is not an absolute path');
  const target = normalize(path);
  const refuseByPolicy = async (found?: { resolved: string; kind: 'file' | 'block' }) => {
    const refusal = managedPaths ? await managedPathRefusalAt(target, managedPaths, found) : null;
    if (refusal !== null) refuse(refusal);
  };
  await refuseByPolicy();

  const before = await stat(target, { bigint: true }).catch((err: unknown) => refuse(statFailure(err)));
  const kind = kindOf(before) ?? refuse(`is ${describeType(before)}, not a regular file or block device`);
  const resolved = await realpath(target).catch((err: unknown) => refuse(statFailure(err)));
  await refuseByPolicy({ resolved, kind });
  await refuseIfInside([target, resolved], ownDirectory, refuse);

  // Opening read-write is the honest test: as root access(2) says yes to everything, while an
  // immutable file or a read-only mount only fail at open. (Read-only block devices open fine on
  // recent kernels and fail each write instead, hence the sysfs check below.)
  const handle = await open(target, constants.O_RDWR).catch((err: unknown) => refuse(`is not readable and writable (${codeOf(err)})`));
  try {
    // Measure what was opened, not what was stat'ed or judged, in case the path was swapped in between.
    const opened = await handle.stat({ bigint: true });
    const judged = await stat(resolved, { bigint: true }).catch(() => undefined);
    if (![before, judged].every((st) => st?.ino === opened.ino && st?.dev === opened.dev)) refuse('changed while it was being inspected');
    // An unreadable ro flag is not decisive here: the size read below fails with the sysfs error.
    if (kind === 'block' && (await blockDeviceIsReadOnly(opened.rdev, sysfsRoot).catch(() => false)))
      refuse('is not readable and writable (the block device is read-only)');
    const sizeBytes =
      kind === 'file'
        ? Number(opened.size)
        : await blockDeviceSizeBytes(opened.rdev, sysfsRoot).catch((err: unknown) =>
            refuse(`block device size could not be read from sysfs (${errorText(err)})`),
          );
    if (sizeBytes === 0) refuse('is empty (0 bytes)');
    return { kind, path: target, sizeBytes, owned: false };
  } finally {
    await handle.close();
  }
};

const kindOf = (st: BigIntStats): VolumeLocation['kind'] | undefined => (st.isFile() ? 'file' : st.isBlockDevice() ? 'block' : undefined);

const describeType = (st: BigIntStats): string =>
  st.isDirectory()
    ? 'a directory'
    : st.isCharacterDevice()
      ? 'a character device'
      : st.isFIFO()
        ? 'a FIFO'
        : st.isSocket()
          ? 'a socket'
          : 'of an unknown type';

/** Both the path as written and where its symlinks lead must stay out of the provider's directory. */
const refuseIfInside = async (candidates: string[], ownDirectory: string, refuse: (reason: string) => never) => {
  const written = resolve(ownDirectory);
  const dirs = [written, await realpath(written).catch(() => written)];
  for (const dir of dirs)
    for (const candidate of candidates)
      if (candidate === dir || candidate.startsWith(dir.endsWith(sep) ? dir : dir + sep))
        refuse(`lies inside Strata's own volume directory ${written}`);
};

const statFailure = (err: unknown): string => {
  switch (codeOf(err)) {
    case 'ENOENT':
      return 'does not exist';
    case 'ENOTDIR':
      return 'does not exist (a parent is not a directory)';
    case 'ELOOP':
      return 'is a symlink loop';
    case 'EACCES':
      return 'cannot be accessed (permission denied on a parent directory)';
    default:
      return `cannot be inspected (${errorText(err)})`;
  }
};

// Duck-typed: errors from node's fs may come from another realm (Jest's sandbox), failing instanceof.
const codeOf = (err: unknown): string =>
  typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : errorText(err);

const errorText = (err: unknown): string =>
  typeof err === 'object' && err !== null && 'message' in err && typeof err.message === 'string' ? err.message : String(err);
