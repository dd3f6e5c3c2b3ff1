import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileLines } from './file-lines';

describe('fileLines', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-lines-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const linesOf = async (content: string | Buffer): Promise<string[]> => {
    const path = join(dir, 'file.ndjson');
    writeFileSync(path, content);
    const lines: string[] = [];
    for await (const line of fileLines(path)) lines.push(line);
    return lines;
  };

  it('gives each line without its newline, and nothing after the last newline', async () => {
    expect(await linesOf('a\nbb\n\nccc\n')).toEqual(['a', 'bb', '', 'ccc']);
  });

  it('gives a last line that has no newline', async () => {
    expect(await linesOf('a\nlast')).toEqual(['a', 'last']);
  });

  it('gives nothing for an empty file', async () => {
    expect(await linesOf('')).toEqual([]);
  });

  it('takes a carriage return before the newline as part of the break, and leaves a lone one in its line', async () => {
    expect(await linesOf('a\r\nb\r\nc\rd\n')).toEqual(['a', 'b', 'c\rd']);
  });

  it('joins a line that spans many reads once, not once per read (a long line must not cost its length squared)', async () => {
    const long = 'x'.repeat(5 * 1024 * 1024);
    const concat = jest.spyOn(Buffer, 'concat');
    try {
      expect(await linesOf(`${long}\nend\n`)).toEqual([long, 'end']);
      expect(concat).toHaveBeenCalledTimes(1);
    } finally {
      concat.mockRestore();
    }
  });

  it('puts lines and multi-byte characters back together where the reads split them', async () => {
    // Lines of every length around the 64 KiB read, each with characters of two, three and four bytes,
    // so breaks and characters fall on every side of the reads' edges.
    const lines = Array.from({ length: 400 }, (_, i) => `${i}:${'é€😀x'.repeat((i * 37) % 300)}`);
    lines.push('y'.repeat(200_000), 'z');
    expect(await linesOf(`${lines.join('\n')}\n`)).toEqual(lines);
  });
});
