import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import { hasLongList, longListBody, writeLongListsItemByItem } from './json-body';

const row = (i: number) => ({
  id: `b-${i}`,
  name: i % 7 === 0 ? null : `nom é ${i} "quoted" \u2028`,
  size: i,
  created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
  links: [{ href: `http://127.0.0.1/v3/backups/${i}`, rel: 'self' }],
  metadata: { k: 'v' },
  gone: undefined,
});

describe('longListBody: the bytes of JSON.stringify, a long list written item by item', () => {
  it('given a page of 1,000 rows with its links and count, writes exactly what JSON.stringify writes', () => {
    const body = { backups: Array.from({ length: 1000 }, (_, i) => row(i)), count: 1000, backups_links: [{ href: 'next', rel: 'next' }] };

    expect(hasLongList(body)).toBe(true);
    expect(Buffer.concat(longListBody(body)).toString('utf8')).toBe(JSON.stringify(body));
  });

  it('given items and keys with no JSON form, writes null in the list and leaves the key out, as JSON.stringify does', () => {
    const list: unknown[] = Array.from({ length: 70 }, (_, i) => (i === 3 ? undefined : i === 4 ? () => 1 : { i }));
    const body = { volumes: list, skipped: undefined, fn: () => 1, after: 'x' };

    expect(Buffer.concat(longListBody(body)).toString('utf8')).toBe(JSON.stringify(body));
  });

  it('given an item larger than a chunk, still writes it whole', () => {
    const body = { snapshots: Array.from({ length: 64 }, (_, i) => ({ i, blob: 'x'.repeat(i === 10 ? 200_000 : 10) })) };

    expect(Buffer.concat(longListBody(body)).toString('utf8')).toBe(JSON.stringify(body));
  });

  it('given a short list or no list, leaves the body to JSON.stringify', () => {
    for (const body of [
      { backups: [row(1)] },
      { backup: row(2) },
      [1, 2, 3],
      null,
      'text',
      { l: [...Array(70).keys()], toJSON: () => 'its own form' },
    ])
      expect(hasLongList(body)).toBe(false);
  });
});

describe('an Express app that writes long lists item by item', () => {
  it('answers res.json with the bytes and the Content-Type Express gives, long list or not', async () => {
    // The Express app Nest's adapter makes, as `create-app.ts` gets it.
    const app = new ExpressAdapter().getInstance() as Express;
    writeLongListsItemByItem(app);
    const bodies: Record<string, unknown> = {
      long: { backups: Array.from({ length: 1000 }, (_, i) => row(i)), count: 1000 }, // several chunks
      short: { backup: row(1) },
    };
    app.get('/:which', (req, res) => res.json(bodies[req.params.which]));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (const which of ['long', 'short']) {
        const res = await fetch(`${base}/${which}`);
        const length = Buffer.byteLength(JSON.stringify(bodies[which]));
        expect({ type: res.headers.get('content-type'), length: res.headers.get('content-length'), body: await res.text() }).toEqual({
          type: 'application/json; charset=utf-8',
          length: String(length),
          body: JSON.stringify(bodies[which]),
        });
        const head = await fetch(`${base}/${which}`, { method: 'HEAD' });
        expect({ length: head.headers.get('content-length'), body: await head.text() }).toEqual({ length: String(length), body: '' });
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
