import Database from 'better-sqlite3';
import { sqliteProjectionTx } from './sqlite-projection-tx';

describe('sqliteProjectionTx: what projections write, bound by position', () => {
  const open = () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER, note TEXT)');
    return { db, tx: sqliteProjectionTx(db) };
  };

  it('binds each @name from the object, a name used twice from the one value, and counts the rows changed', () => {
    const { db, tx } = open();
    expect(tx.run('INSERT INTO t (id, n, note) VALUES (@id, @n, @id || @note)', { id: 'a', n: 2n, note: '!', unused: 1 })).toBe(1);
    expect(tx.run('UPDATE t SET n = n + @n WHERE id = @id', { id: 'a', n: 3 })).toBe(1);
    expect(tx.get('SELECT id, n, note FROM t WHERE id = @id', { id: 'a' })).toEqual({ id: 'a', n: 5, note: 'a!' });
    expect(tx.run('UPDATE t SET n = 0 WHERE id = @id', { id: 'none' })).toBe(0);
    db.close();
  });

  it('binds NULL for a value undefined and refuses a name the object lacks, as better-sqlite3 does', () => {
    const { db, tx } = open();
    tx.run('INSERT INTO t (id, n, note) VALUES (@id, @n, @note)', { id: 'b', n: 1, note: undefined as unknown as null });
    expect(tx.get('SELECT note FROM t WHERE id = @id', { id: 'b' })).toEqual({ note: null });
    expect(() => tx.run('INSERT INTO t (id, n) VALUES (@id, @n)', { id: 'c' })).toThrow(new RangeError('Missing named parameter "n"'));
    expect(tx.get('SELECT COUNT(*) AS c FROM t')).toEqual({ c: 1 });
    db.close();
  });
});
