import { openMemoryEventStore } from '@strata/event-store';
import { seedCatalogHistory } from '../../../../bench/catalog-history';
import { Catalog } from '../catalog';

/** A memory log holding a seeded history (`seedCatalogHistory`: chains, failures, deletions, restores) and a live catalog in memory caught up with it. */
export const seededLiveCatalog = async (backups: number) => {
  const store = openMemoryEventStore();
  const { head } = await seedCatalogHistory(store, { backups });
  const live = Catalog.open({ path: ':memory:', store });
  live.start();
  await live.waitForPosition(head, 20_000);
  return {
    store,
    live,
    head,
    close: async () => {
      await live.close();
      await store.close();
    },
  };
};
