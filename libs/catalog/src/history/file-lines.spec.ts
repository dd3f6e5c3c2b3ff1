import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileLines } from './file-lines';
import { InvalidHistoryFile } from './history-file';

describe('fileLines', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-lines-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const linesOf = async (content: string | Buffer, maxLineBytes = 1 << 30): Promise<string[]> => {
    const path = join(dir, 'file.ndjson');
    writeFileSync(path, content);
    const lines: string[] = [];
    for await (const line of fileLines(path, maxLineBytes)) lines.push(line);
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

  describe('with a bound on the length of a line', () => {
    const refusal = (line: number, max: number) =>
      new InvalidHistoryFile(`a line longer than ${max} bytes, the most any event Strata records can take`, line);

    it('gives a line of exactly the bound', async () => {
      expect(await linesOf(`a\n${'b'.repeat(100)}\nc\n`, 100)).toEqual(['a', 'b'.repeat(100), 'c']);
    });

    it('refuses a longer line inside one read, naming it', async () => {
      await expect(linesOf(`a\n${'b'.repeat(101)}\nc\n`, 100)).rejects.toEqual(refusal(2, 100));
    });

    it('refuses a line that spans reads as soon as it has read past the bound, without joining it', async () => {
      const concat = jest.spyOn(Buffer, 'concat');
      try {
        // 4 MiB without a break: refused after the third 64 KiB read, not at the end of the file.
        await expect(linesOf(`head\n${'x'.repeat(4 << 20)}`, 150_000)).rejects.toEqual(refusal(2, 150_000));
        expect(concat).not.toHaveBeenCalled();
      } finally {
        concat.mockRestore();
      }
    });

    it('counts a last line without a newline against the bound too', async () => {
      await expect(linesOf(`a\n${'z'.repeat(70_000)}`, 65_536)).rejects.toEqual(refusal(2, 65_536));
      expect(await linesOf(`a\n${'z'.repeat(70_000)}`, 70_000)).toEqual(['a', 'z'.repeat(70_000)]);
    });
  });
});
