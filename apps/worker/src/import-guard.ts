import type { Catalog } from '@strata/catalog';
import { IMPORT_ID } from '@strata/domain';
import { StreamNotFound, type EventStore } from '@strata/event-store';

/**
 * Keeps jobs off history a catalog import is still appending. Mid-import the catalog shows a prefix of
 * the imported history, in which a backup that completed long ago is still `creating`: a job resumed on
 * it would write into a stream the import has yet to fill, and the import would then fail on it. While an
 * import has not completed (the catalog says which, nearly always none), a stream holding any event it
 * brought is held; once the import completes, what the history left unfinished is resumed as usual.
 */
export class ImportGuard {
  constructor(
    private readonly store: EventStore,
    private readonly catalog: Catalog,
  ) {}

  /** True when one of the streams holds an event of an import that has not completed. */
  async holds(streamIds: readonly string[]): Promise<boolean> {
    const unfinished = this.catalog.unfinishedImports();
    if (unfinished.size === 0) return false;
    for (const streamId of streamIds) if (await this.reached(streamId, unfinished)) return true;
    return false;
  }

  private async reached(streamId: string, unfinished: ReadonlySet<string>): Promise<boolean> {
    try {
      for await (const event of this.store.readStream(streamId)) {
        const importId = event.metadata[IMPORT_ID];
        if (typeof importId === 'string' && unfinished.has(importId)) return true;
      }
      return false;
    } catch (error) {
      if (error instanceof StreamNotFound) return false;
      throw error;
    }
  }
}
