import { InvalidManagedVolume } from '../errors';
import type { VolumeProvider } from '../volume-provider.port';

/**
 * The manage API's question, answered by the very inspection the worker runs when it provisions the
 * volume, so that a path is refused before anything is recorded and the rules exist once.
 */
export class ManagedVolumeRefusals {
  constructor(private readonly provider: Pick<VolumeProvider, 'inspectManagedVolume'>) {}

  /** Why `path` cannot be managed, as a phrase that follows the path; null when it can. */
  async refusalOf(path: string): Promise<string | null> {
    try {
      await this.provider.inspectManagedVolume(path);
      return null;
    } catch (error) {
      if (error instanceof InvalidManagedVolume) return error.reason;
      throw error;
    }
  }
}
