import type { DomainEvent } from '../decider';

/**
 * A catalog import's own record, on its stream (`catalog-import-<id>`, the id being the file's SHA-256):
 * started before the first event of the file is appended, completed after the last. Workers read it to
 * leave the imported streams alone while the import is under way (a half-imported backup looks like
 * one still being created).
 */
export type CatalogImportStarted = DomainEvent<'CatalogImportStarted', { importId: string; events: number; startedAt: string }>;
export type CatalogImportCompleted = DomainEvent<'CatalogImportCompleted', { importId: string; appended: number; completedAt: string }>;

export type CatalogImportEvent = CatalogImportStarted | CatalogImportCompleted;
export type CatalogImportEventType = CatalogImportEvent['type'];

export const CATALOG_IMPORT_EVENT_TYPES: readonly CatalogImportEventType[] = ['CatalogImportStarted', 'CatalogImportCompleted'];

/** The metadata key an import adds to every event it appends: which import brought the event in. */
export const IMPORT_ID = 'importId';
