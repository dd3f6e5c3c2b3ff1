import type { Statement } from 'better-sqlite3';
import type { CatalogDatabase } from '../schema/catalog-database';

type RowOf = (values: readonly unknown[]) => Record<string, unknown>;

/** A statement that returns arrays (`allRows`), with what makes a row object of each. */
interface RawStatement {
  readonly statement: Statement;
  readonly rowOf: RowOf;
}

const statements = new WeakMap<CatalogDatabase, Map<string, Statement>>();
const rawStatements = new WeakMap<CatalogDatabase, Map<string, RawStatement>>();

/** What `make` gives for `sql` on this connection, made once. */
const once = <T>(caches: WeakMap<CatalogDatabase, Map<string, T>>, db: CatalogDatabase, sql: string, make: () => T): T => {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let entry = cache.get(sql);
  if (entry === undefined) cache.set(sql, (entry = make()));
  return entry;
};

/**
 * A function that makes one row's object from its values, written for the statement's columns: one object
 * literal, so every row has the same shape from the start. Set key by key in a loop, a row of 30 columns
 * took 2.4 µs (V8 gives up on a shape that grows that far and keeps a dictionary), and the literal 0.1 µs
 * (2026-12-06): 2.3 ms of every 1,000-row page. A name twice keeps the last value, as in the statement's
 * own objects. The names go in as JSON string literals, which are JavaScript string literals too, so no
 * name can leave its quotes; `__proto__` goes in as a computed key, which a literal defines as a property
 * instead of taking it for the prototype.
 */
const rowMaker = (columns: readonly string[]): RowOf => {
  const keys = columns.map((name, i) => `${name === '__proto__' ? '["__proto__"]' : JSON.stringify(name)}: v[${i}]`);
  return new Function('v', `return { ${keys.join(', ')} };`) as RowOf;
};

/**
 * A statement prepared once per connection. Integers come back as bigint so positions keep their
 * precision; the row mappers turn counts and sizes into numbers.
 */
export const prepared = (db: CatalogDatabase, sql: string): Statement =>
  once(statements, db, sql, () => db.prepare(sql).safeIntegers(true));

/**
 * Every row of `sql` as an object keyed by column name, like `prepared(db, sql).all(params)`, built here
 * from the statement's raw arrays. better-sqlite3 builds each row object property by property from C++:
 * a 1,000-row page of backups (34 columns) took 10.8 ms that way and 5.1 ms this way, its raw arrays alone
 * 3.6 ms (2026-12-06, 1M-event catalog). For the long lists (pages, the audit); a single row can use `get`.
 */
export const allRows = (db: CatalogDatabase, sql: string, params: Record<string, unknown> = {}): Record<string, unknown>[] => {
  const { statement, rowOf } = once(rawStatements, db, sql, () => {
    const raw = db.prepare(sql).safeIntegers(true);
    return { statement: raw.raw(true), rowOf: rowMaker(raw.columns().map((c) => c.name)) };
  });
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
