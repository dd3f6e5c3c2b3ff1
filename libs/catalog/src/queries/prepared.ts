import type { Statement } from 'better-sqlite3';
import type { CatalogDatabase } from '../schema/catalog-database';

/** A statement, and for the raw ones (`allRows`) what makes a row object of its arrays. */
interface Prepared {
  readonly statement: Statement;
  readonly rowOf: (values: readonly unknown[]) => Record<string, unknown>;
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
    entry = raw
      ? { statement: statement.raw(true), rowOf: rowMaker(statement.columns().map((c) => c.name)) }
      : { statement, rowOf: noRows };
    statements.set(key, entry);
  }
  return entry;
};

const noRows = (): Record<string, unknown> => {
  throw new Error('not a raw statement');
};

/**
 * A function that makes one row's object from its values, written for the statement's columns: one object
 * literal, so every row has the same shape from the start. Set key by key in a loop, a row of 30 columns
 * took 2.4 µs (V8 gives up on a shape that grows that far and keeps a dictionary), and the literal 0.1 µs
 * (2026-12-06): 2.3 ms of every 1,000-row page. A name twice keeps the last value, as in the statement's
 * own objects; a column named `__proto__` (which a literal would take as the prototype) is set by the loop.
 */
const rowMaker = (columns: readonly string[]): Prepared['rowOf'] => {
  if (columns.includes('__proto__'))
    return (values) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++)
        Object.defineProperty(row, columns[i]!, { value: values[i], enumerable: true, writable: true, configurable: true });
      return row;
    };
  // The names go in as JSON string literals, which are JavaScript string literals too: no name can escape them.
  return new Function('v', `return { ${columns.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ')} };`) as Prepared['rowOf'];
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
  const { statement, rowOf } = preparedOnce(db, sql, true);
  return (statement.all(params) as unknown[][]).map(rowOf);
};

/**
 * `LIMIT` with a bound row count. SQLite (3.53, built with STAT4) takes a bare `LIMIT @limit` for a
 * parameter the plan may depend on, so every binding of it expires the statement, and better-sqlite3 binds
 * on every call: the statement was compiled again each time, 55–70 µs a call whatever the value (a name
 * lookup's statement took 70–88 µs with it, 15–16 µs with this; 2026-12-06). An expression is not looked at.
 */
export const BOUND_LIMIT = 'LIMIT @limit + 0';

export const int = (value: unknown): number => Number(value);
export const intOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
export const jsonObject = (value: unknown): Record<string, string> => JSON.parse(String(value ?? '{}')) as Record<string, string>;
