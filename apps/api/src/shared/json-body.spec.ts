import { hasLongList, jsonBody } from './json-body';

const row = (i: number) => ({
  id: `b-${i}`,
  name: i % 7 === 0 ? null : `nom é ${i} "quoted" \u2028`,
  size: i,
  created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
  links: [{ href: `http://127.0.0.1/v3/backups/${i}`, rel: 'self' }],
  metadata: { k: 'v' },
  gone: undefined,
});

describe('jsonBody: the bytes of JSON.stringify, a long list written item by item', () => {
  it('given a page of 1,000 rows with its links and count, writes exactly what JSON.stringify writes', () => {
    const body = { backups: Array.from({ length: 1000 }, (_, i) => row(i)), count: 1000, backups_links: [{ href: 'next', rel: 'next' }] };

    expect(hasLongList(body)).toBe(true);
    expect(jsonBody(body).toString('utf8')).toBe(JSON.stringify(body));
  });

  it('given items and keys with no JSON form, writes null in the list and leaves the key out, as JSON.stringify does', () => {
    const list: unknown[] = Array.from({ length: 70 }, (_, i) => (i === 3 ? undefined : i === 4 ? () => 1 : { i }));
    const body = { volumes: list, skipped: undefined, fn: () => 1, after: 'x' };

    expect(jsonBody(body).toString('utf8')).toBe(JSON.stringify(body));
  });

  it('given an item larger than a chunk, still writes it whole', () => {
    const body = { snapshots: Array.from({ length: 64 }, (_, i) => ({ i, blob: 'x'.repeat(i === 10 ? 200_000 : 10) })) };

    expect(jsonBody(body).toString('utf8')).toBe(JSON.stringify(body));
  });

  it('given a short list or no list, writes one JSON.stringify', () => {
    for (const body of [{ backups: [row(1)] }, { backup: row(2) }, [1, 2, 3], null, 'text'])
      expect(jsonBody(body).toString('utf8')).toBe(JSON.stringify(body));
    expect(hasLongList({ backups: [row(1)] })).toBe(false);
  });
});
