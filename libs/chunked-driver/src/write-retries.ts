import { RepositoryUnavailable } from './errors';
import type { BackupRepository } from './repository.port';
import { throwIfAborted } from './volume-source';

/**
 * Runs an object write again when the repository was unavailable mid-object, as often as the repository
 * allows. `write` must produce the whole object from its source each time.
 */
export const withWriteRetries = async <T>(
  repository: BackupRepository,
  signal: AbortSignal | undefined,
  write: () => Promise<T>,
): Promise<T> => {
  const policy = repository.writeRetries;
  for (let retry = 0; ;) {
    try {
      return await write();
    } catch (e) {
      if (!(e instanceof RepositoryUnavailable) || !policy || retry >= policy.attempts) throw e;
      throwIfAborted(signal, 'backup');
      await new Promise((r) => setTimeout(r, policy.delayMs(++retry)));
    }
  }
};
