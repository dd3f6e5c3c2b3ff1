import type { Statement } from 'better-sqlite3';
import type { CatalogDatabase } from '../schema/catalog-database';

const cache = new WeakMap<CatalogDatabase, Map<string, Statement>>();

/**
 * A statement prepared once per connection. Integers come back as bigint so positions keep their
 * precision; the row mappers turn counts and sizes into numbers.
 */
export const prepared = (db: CatalogDatabase, sql: string): Statement => {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql).safeIntegers(true)));
  return statement;
};

export const int = (value: unknown): number => Number(value);
export const intOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
export const jsonObject = (value: unknown): Record<string, string> => JSON.parse(String(value ?? '{}')) as Record<string, string>;
