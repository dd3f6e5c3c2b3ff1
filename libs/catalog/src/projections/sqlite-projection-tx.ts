import type { Statement } from 'better-sqlite3';
import type { CatalogDatabase } from '../schema/catalog-database';
import { positionalSql } from './positional-sql';
import type { ProjectionTx, SqlParams } from './projection';

type Call = (statement: Statement, params: SqlParams, missing: (name: string) => never) => unknown;

/** A statement with the caller of the one method (`run` or `get`) it is used with. */
interface Prepared {
  readonly statement: Statement;
  readonly call: Call;
}

const missing = (name: string): never => {
  throw new RangeError(`Missing named parameter "${name}"`);
};

/**
 * `statement.run(params.a, params.b, …)` for the statement's parameter names, made once per statement:
 * each property is read at a site of its own, which sees objects of one shape, and the values reach
 * better-sqlite3 as arguments, bound by position without a lookup. The names are SQL identifiers
 * (`positionalSql` accepts nothing else), so the text made here is nothing but property reads.
 */
const caller = (method: 'run' | 'get', names: readonly string[]): Call => {
  const args = names.map((name) => `params.${name} !== undefined || '${name}' in params ? params.${name} : missing('${name}')`);
  return new Function('statement', 'params', 'missing', `return statement.${method}(${args.join(', ')});`) as Call;
};

/**
 * A `ProjectionTx` over the catalog connection; statements are prepared once and reused per batch. The
 * projections write `@name` parameters and pass objects; each statement is prepared with `?` in their
 * place (`positionalSql`) and bound by position. A name the object lacks is refused as better-sqlite3
 * refuses it; a value `undefined` binds NULL, as it does.
 */
export const sqliteProjectionTx = (db: CatalogDatabase): ProjectionTx => {
  // Kept per method: a statement is used with one of them, so only that caller is made.
  const statements = { run: new Map<string, Prepared>(), get: new Map<string, Prepared>() };
  const call = (method: 'run' | 'get', sql: string, params: SqlParams): unknown => {
    let found = statements[method].get(sql);
    if (!found) {
      const { sql: text, names } = positionalSql(sql);
      statements[method].set(sql, (found = { statement: db.prepare(text), call: caller(method, names) }));
    }
    return found.call(found.statement, params, missing);
  };
  return {
    run: (sql: string, params: SqlParams = {}) => (call('run', sql, params) as { changes: number }).changes,
    get: <Row>(sql: string, params: SqlParams = {}) => call('get', sql, params) as Row | undefined,
  };
};
