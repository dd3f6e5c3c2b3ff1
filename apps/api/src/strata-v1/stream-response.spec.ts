import { jsonListChunks } from './stream-response';

/** The items as JSON texts, in batches of three (a batch may be empty). */
const chunksOf = async (items: readonly unknown[]) => {
  const texts = items.map((item) => JSON.stringify(item));
  const batches = [[], ...Array.from({ length: Math.ceil(texts.length / 3) }, (_, i) => texts.slice(i * 3, i * 3 + 3))];
  const chunks: string[] = [];
  for await (const chunk of jsonListChunks({ as_of: 'T' }, 'backups', batches)) chunks.push(chunk);
  return chunks;
};

describe('jsonListChunks', () => {
  it('writes the head and the list as one JSON object', async () => {
    const items = [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }];
    expect(JSON.parse((await chunksOf(items)).join(''))).toEqual({ as_of: 'T', backups: items });
    expect(JSON.parse((await chunksOf([])).join(''))).toEqual({ as_of: 'T', backups: [] });
  });

  it('hands a long list on in chunks of about 64 KiB, not one per item', async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({ id: i, name: `backup-${i}`.padEnd(60, '.') }));

    const chunks = await chunksOf(items);

    expect(chunks.length).toBeLessThan(20);
    expect(JSON.parse(chunks.join('')).backups).toEqual(items);
  });
});
