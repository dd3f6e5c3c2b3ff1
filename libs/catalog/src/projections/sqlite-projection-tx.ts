import type { Statement } from 'better-sqlite3';
import type { CatalogDatabase } from '../schema/catalog-database';
import { positionalSql } from './positional-sql';
import type { ProjectionTx, SqlParams } from './projection';

type Call = (statement: Statement, params: SqlParams, missing: (name: string) => never) => unknown;

interface Prepared {
  readonly statement: Statement;
  readonly run: Call;
  readonly get: Call;
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
  const statements = new Map<string, Prepared>();
  const prepared = (sql: string): Prepared => {
    let found = statements.get(sql);
    if (!found) {
      const { sql: text, names } = positionalSql(sql);
      statements.set(sql, (found = { statement: db.prepare(text), run: caller('run', names), get: caller('get', names) }));
    }
    return found;
  };
  return {
    run: (sql: string, params: SqlParams = {}) => {
      const { statement, run } = prepared(sql);
      return (run(statement, params, missing) as { changes: number }).changes;
    },
    get: <Row>(sql: string, params: SqlParams = {}) => {
      const { statement, get } = prepared(sql);
      return get(statement, params, missing) as Row | undefined;
    },
  };
};
