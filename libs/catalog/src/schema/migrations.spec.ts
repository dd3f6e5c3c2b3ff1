import { MIGRATIONS, READ_MODEL_TABLES } from './migrations';

describe('the catalog migrations', () => {
  // migrateCatalog skips every step at or below user_version: a step listed after a higher one would never run.
  it('are listed in strictly increasing version order', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('name every table they create in READ_MODEL_TABLES, so a rebuild drops it', () => {
    const created = MIGRATIONS.flatMap((m) => [...m.sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/gi)].map((x) => x[1]!));
    const dropped = new Set([...created.filter((t) => !t.startsWith('_'))]);
    for (const table of dropped) expect(Object.keys(READ_MODEL_TABLES)).toContain(table);
  });
});
