import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { ShareMountFailed } from '../errors';

/** Cinder's NFS options: backup_share, backup_mount_options, backup_mount_point_base, backup_mount_attempts. */
export interface ShareMountOptions {
  /** HOST:EXPORT_PATH for NFS; for another filesystem whatever `mount` takes as its source (an image for `-o loop`). */
  readonly share: string;
  /** What follows `-o` (Cinder's backup_mount_options, e.g. `vers=4.1`); a leading `-o ` is accepted too. */
  readonly mountOptions: string;
  readonly mountPointBase: string;
  readonly attempts: number;
  /** `mount -t`: `nfs` unless a test stands another filesystem in for the share. */
  readonly fstype: string;
  /** Wait between attempts. Default 1 s. */
  readonly retryDelayMs?: number;
}

/** os-brick's mount point: the base plus the md5 of the share string. */
export const shareMountPoint = (base: string, share: string): string =>
  path.join(base, createHash('md5').update(share, 'utf8').digest('hex'));

/** Mount points in /proc/self/mountinfo (field 5, with its octal escapes undone). */
export const mountedPaths = async (mountinfo = '/proc/self/mountinfo'): Promise<Set<string>> => {
  const text = await fsp.readFile(mountinfo, 'utf8');
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return new Set(
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => unescape(line.split(' ')[4] ?? '')),
  );
};

const run = (file: string, args: string[]): Promise<void> =>
  new Promise((resolve, reject) =>
    execFile(file, args, (error, _out, stderr) => (error ? reject(new Error(stderr.trim() || error.message)) : resolve())),
  );

const mountArgs = (o: ShareMountOptions, mountPoint: string): string[] => {
  const options = o.mountOptions.trim().replace(/^-o\s+/, '');
  return ['-t', o.fstype, ...(options ? ['-o', options] : []), o.share, mountPoint];
};

/**
 * Mounts the share at its mount point unless something is mounted there already, trying `attempts`
 * times; resolves with the mount point.
 */
export const ensureShareMounted = async (o: ShareMountOptions): Promise<string> => {
  const mountPoint = shareMountPoint(o.mountPointBase, o.share);
  if ((await mountedPaths()).has(mountPoint)) return mountPoint;
  await fsp.mkdir(mountPoint, { recursive: true });
  let last = '';
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    try {
      await run('mount', mountArgs(o, mountPoint));
      return mountPoint;
    } catch (e) {
      last = (e as Error).message;
      // Another process may have mounted it meanwhile.
      if ((await mountedPaths()).has(mountPoint)) return mountPoint;
      if (attempt < o.attempts) await new Promise((r) => setTimeout(r, o.retryDelayMs ?? 1000));
    }
  }
  throw new ShareMountFailed(o.share, mountPoint, o.attempts, last);
};

export const unmountShare = async (mountPoint: string): Promise<void> => {
  if ((await mountedPaths()).has(mountPoint)) await run('umount', [mountPoint]);
};
