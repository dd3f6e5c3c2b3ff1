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

  it('keys every column of a wide row, whatever its name, as the statement does', () => {
    const names = [...Array.from({ length: 40 }, (_, i) => `c${i}`), 'COUNT(*)', 'it\'s \\ "quoted"', 'toString'];
    const sql = `SELECT ${names.map((name, i) => `${i} AS "${name.replace(/"/g, '""')}"`).join(', ')}`;
    const [row] = allRows(db, sql);
    expect(row).toEqual(prepared(db, sql).get());
    expect(Object.keys(row!)).toEqual(names);
  });

  it("keeps a column named __proto__ as a column, not as the row's prototype", () => {
    const [row] = allRows(db, "SELECT 'a' AS id, 'x' AS __proto__");
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row!)).toEqual(['id', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('x');
  });

  it('gives nothing for no rows', () => {
    expect(allRows(db, "SELECT * FROM t WHERE id = 'z'")).toEqual([]);
  });
});
