import type { Statement } from 'better-sqlite3';
import type { CatalogDatabase } from '../schema/catalog-database';
import type { ProjectionTx, SqlParams } from './projection';

/** A `ProjectionTx` over the catalog connection; statements are prepared once and reused per batch. */
export const sqliteProjectionTx = (db: CatalogDatabase): ProjectionTx => {
  const statements = new Map<string, Statement>();
  const statement = (sql: string) => {
    let prepared = statements.get(sql);
    if (!prepared) statements.set(sql, (prepared = db.prepare(sql)));
    return prepared;
  };
  return {
    run: (sql: string, params: SqlParams = {}) => statement(sql).run(params).changes,
    get: <Row>(sql: string, params: SqlParams = {}) => statement(sql).get(params) as Row | undefined,
  };
};
