import type { CatalogDatabase } from './catalog-database';
import { dropDerivedTotals, ensureDerivedTotals } from './derived-totals';
import { dropListIndexes, ensureListIndexes } from './list-indexes';

/**
 * What a catalog built from the log leaves out while it applies the events, to make once at the end: the
 * list indexes (`list-indexes.ts`: one sort each instead of a B-tree insert per event) and the totals
 * `/metrics` reads (`derived-totals.ts`: one grouping each instead of a trigger at every change of a row).
 */
export const leaveForTheEnd = (db: CatalogDatabase): void => {
  dropListIndexes(db);
  dropDerivedTotals(db);
};

/**
 * Makes what a file lacks of them: at the end of a build, and whenever a catalog is opened, so a file whose
 * build stopped half way (a crash) never serves without them.
 */
export const makeWhatWasLeft = (db: CatalogDatabase): void => {
  ensureListIndexes(db);
  ensureDerivedTotals(db);
};
