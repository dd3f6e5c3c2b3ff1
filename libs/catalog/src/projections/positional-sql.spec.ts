import { positionalSql } from './positional-sql';

describe('positionalSql: named parameters written for binding by position', () => {
  it('replaces each @name by ? and lists the names in order, a name used twice twice', () => {
    expect(positionalSql('UPDATE t SET a = @a, at = @at WHERE id = @id AND at < @at')).toEqual({
      sql: 'UPDATE t SET a = ?, at = ? WHERE id = ? AND at < ?',
      names: ['a', 'at', 'id', 'at'],
    });
  });

  it('leaves literals, quoted identifiers and comments as they are', () => {
    const sql = `SELECT '@not', 'it''s @not', "@col", [@col], \`@col\` -- @not
      /* @not */ FROM t WHERE json_extract(v, '$.result') = @result`;
    expect(positionalSql(sql)).toEqual({ sql: sql.replace('@result', '?'), names: ['result'] });
  });

  it('refuses :name, $name and ?, which it would not bind', () => {
    expect(() => positionalSql('SELECT * FROM t WHERE id = :id')).toThrow(SyntaxError);
    expect(() => positionalSql('SELECT * FROM t WHERE id = $id')).toThrow(SyntaxError);
    expect(() => positionalSql('SELECT * FROM t WHERE id = ? AND n = @n')).toThrow(SyntaxError);
    expect(positionalSql("SELECT '?' FROM t WHERE n = @n").names).toEqual(['n']);
  });

  it('has nothing to do for a statement without parameters', () => {
    expect(positionalSql('DELETE FROM t')).toEqual({ sql: 'DELETE FROM t', names: [] });
  });
});
