import { jsonListChunks } from './stream-response';

const chunksOf = async (items: Iterable<unknown>) => {
  const chunks: string[] = [];
  for await (const chunk of jsonListChunks({ as_of: 'T' }, 'backups', items)) chunks.push(chunk);
  return chunks;
};

describe('jsonListChunks', () => {
  it('writes the head and the list as one JSON object', async () => {
    expect(JSON.parse((await chunksOf([{ id: 1 }, { id: 2 }])).join(''))).toEqual({ as_of: 'T', backups: [{ id: 1 }, { id: 2 }] });
    expect(JSON.parse((await chunksOf([])).join(''))).toEqual({ as_of: 'T', backups: [] });
  });

  it('hands a long list on in chunks of about 64 KiB, not one per item', async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({ id: i, name: `backup-${i}`.padEnd(60, '.') }));

    const chunks = await chunksOf(items);

    expect(chunks.length).toBeLessThan(20);
    expect(JSON.parse(chunks.join('')).backups).toEqual(items);
  });
});
