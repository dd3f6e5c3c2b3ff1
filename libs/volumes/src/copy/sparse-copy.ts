import { spawn } from 'node:child_process';
import { VolumeCopyFailed } from '../errors';

/** Enough of cp's stderr to explain a failure without holding an unbounded amount of it. */
const MAX_STDERR_CHARS = 4096;

/**
 * Copies `source` (a regular file or a block device) to a new regular file `target`.
 * GNU cp shares extents (reflink) where the filesystem can, which makes a snapshot instant and
 * free; elsewhere it writes a sparse copy, skipping runs of zeros, so a thin image stays thin.
 * cp is spawned with an argument array, never through a shell, so no path is ever interpreted,
 * and `--` keeps a path that starts with '-' from being read as an option.
 */
export const sparseCopy = (source: string, target: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn('cp', ['--reflink=auto', '--sparse=always', '--', source, target], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < MAX_STDERR_CHARS) stderr += chunk.slice(0, MAX_STDERR_CHARS - stderr.length);
    });
    child.once('error', (err) => reject(new VolumeCopyFailed(source, target, `cannot run cp: ${err.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) return resolve();
      const how = signal ? `cp killed by ${signal}` : `cp exited with ${String(code)}`;
      reject(new VolumeCopyFailed(source, target, stderr.trim() ? `${how}: ${stderr.trim()}` : how));
    });
  });
