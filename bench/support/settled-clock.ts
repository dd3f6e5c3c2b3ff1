import { execFile as execFileCb } from 'node:child_process';
import { promisify } from 'node:util';

const execFile = promisify(execFileCb);

/**
 * The wall time of `fn`, started on a settled disk: the image copies made just before (a volume's new
 * contents, a restore target) are written back first, so no tool's time includes another's writeback.
 */
export const seconds = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  await execFile('sync');
  const t = process.hrtime.bigint();
  const r = await fn();
  return [r, Number(process.hrtime.bigint() - t) / 1e9];
};
