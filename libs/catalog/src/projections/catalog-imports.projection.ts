import type { CatalogImportEvent } from '@strata/domain';
import type { Projection } from './projection';

/** Which imports this log has started and which of them it saw complete (`catalog_imports`). */
export const catalogImportsProjection: Projection<CatalogImportEvent> = {
  name: 'catalog-imports',
  handles: ['CatalogImportStarted', 'CatalogImportCompleted'],
  apply(tx, e) {
    switch (e.type) {
      case 'CatalogImportStarted':
        tx.run(
          `INSERT INTO catalog_imports (import_id, events, started_at) VALUES (@id, @events, @at) ON CONFLICT (import_id) DO NOTHING`,
          { id: e.data.importId, events: e.data.events, at: e.data.startedAt },
        );
        return;
      case 'CatalogImportCompleted':
        tx.run(`UPDATE catalog_imports SET completed_at = @at, appended = @appended WHERE import_id = @id`, {
          id: e.data.importId,
          at: e.data.completedAt,
          appended: e.data.appended,
        });
        return;
    }
  },
};
