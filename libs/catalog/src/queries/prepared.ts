import type { Statement } from 'better-sqlite3';
import type { CatalogDatabase } from '../schema/catalog-database';

/** A statement, and for the raw ones (`allRows`) its column names. */
interface Prepared {
  readonly statement: Statement;
  readonly columns: readonly string[];
}
const cache = new WeakMap<CatalogDatabase, Map<string, Prepared>>();

/** Prepared once per connection and mode; integers come back as bigint. */
const preparedOnce = (db: CatalogDatabase, sql: string, raw: boolean): Prepared => {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  const key = raw ? `raw:${sql}` : sql;
  let entry = statements.get(key);
  if (!entry) {
    const statement = db.prepare(sql).safeIntegers(true);
    entry = raw ? { statement: statement.raw(true), columns: statement.columns().map((c) => c.name) } : { statement, columns: [] };
    statements.set(key, entry);
  }
  return entry;
};

/**
 * A statement prepared once per connection. Integers come back as bigint so positions keep their
 * precision; the row mappers turn counts and sizes into numbers.
 */
export const prepared = (db: CatalogDatabase, sql: string): Statement => preparedOnce(db, sql, false).statement;

/**
 * Every row of `sql` as an object keyed by column name, like `prepared(db, sql).all(params)`, built here
 * from the statement's raw arrays. better-sqlite3 builds each row object property by property from C++:
 * a 1,000-row page of backups (34 columns) took 10.8 ms that way and 5.1 ms this way, its raw arrays alone
 * 3.6 ms (2026-12-06, 1M-event catalog). For the long lists (pages, the audit); a single row can use `get`.
 */
export const allRows = (db: CatalogDatabase, sql: string, params: Record<string, unknown> = {}): Record<string, unknown>[] => {
  const { statement, columns } = preparedOnce(db, sql, true);
  return (statement.all(params) as unknown[][]).map((values) => {
    const row: Record<string, unknown> = {};
    // A name twice keeps the last value, as the statement's own objects do.
    for (let i = 0; i < columns.length; i++) row[columns[i]!] = values[i];
    return row;
  });
};

export const int = (value: unknown): number => Number(value);
export const intOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
export const jsonObject = (value: unknown): Record<string, string> => JSON.parse(String(value ?? '{}')) as Record<string, string>;
