import Database from 'better-sqlite3';
import { allRows, prepared } from './prepared';

describe('allRows', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
    db.exec(`CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER, note TEXT);
             INSERT INTO t VALUES ('a', 9007199254740993, NULL), ('b', 2, 'two'), ('c', 3, 'three')`);
  });
  afterEach(() => db.close());

  it('gives the rows the statement would, keyed by column, integers as bigint', () => {
    const sql = 'SELECT * FROM t WHERE id <> @skip ORDER BY id';
    expect(allRows(db, sql, { skip: 'b' })).toEqual(prepared(db, sql).all({ skip: 'b' }));
    expect(allRows(db, sql, { skip: 'b' })).toEqual([
      { id: 'a', n: 9007199254740993n, note: null },
      { id: 'c', n: 3n, note: 'three' },
    ]);
  });

  it('keeps the last of two columns with one name, as the statement does', () => {
    const sql = "SELECT t.*, 'x' AS note FROM t WHERE id = 'b'";
    expect(allRows(db, sql)).toEqual([{ id: 'b', n: 2n, note: 'x' }]);
    expect(allRows(db, sql)).toEqual(prepared(db, sql).all());
  });

  it('gives nothing for no rows', () => {
    expect(allRows(db, "SELECT * FROM t WHERE id = 'z'")).toEqual([]);
  });
});
