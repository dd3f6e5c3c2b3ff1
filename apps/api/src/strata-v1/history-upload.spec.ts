import type { Request } from 'express';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { defaultSpoolReserve, spoolUpload, SpoolSpaceExhausted } from './history-upload';

/** A request body of `pieces` pieces of `size` bytes each, streamed (never whole in memory). */
const upload = (pieces: number, size: number, headers: Record<string, string> = {}): Request => {
  let sent = 0;
  const body = new Readable({
    read() {
      this.push(sent++ < pieces ? Buffer.alloc(size, 'x') : null);
    },
  });
  return Object.assign(body, { headers }) as unknown as Request;
};

const linesOf = async (lines: AsyncIterable<string>) => {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
};

describe('spoolUpload', () => {
  let root: string;
  beforeEach(() => {
    root = join(mkdtempSync(join(tmpdir(), 'strata-spool-spec-')), 'import-spool');
  });
  afterEach(() => rmSync(join(root, '..'), { recursive: true, force: true }));

  it('spools the body to a file of its own under the root, read as lines, removed by dispose', async () => {
    const body = Readable.from([Buffer.from('{"a":1}\n{"b'), Buffer.from('":2}\n')]);
    const spooled = await spoolUpload(Object.assign(body, { headers: {} }) as unknown as Request, { root, reserveBytes: 0 });
    expect(readdirSync(root)).toHaveLength(1);
    expect(await linesOf(spooled.openLines())).toEqual(['{"a":1}', '{"b":2}']);
    spooled.dispose();
    expect(readdirSync(root)).toEqual([]);
  });

  it('refuses a declared length that would leave less than the reserve free, before writing any of it', async () => {
    // Longer than the whole file system: refused whatever else writes or frees meanwhile.
    const s = await statfs(tmpdir());
    const req = upload(1, 10, { 'content-length': String(s.blocks * s.bsize) });
    await expect(spoolUpload(req, { root, reserveBytes: 0 })).rejects.toBeInstanceOf(SpoolSpaceExhausted);
    expect(readdirSync(root)).toEqual([]);
  });

  it('stops a body without a declared length once the free space falls under the reserve, and leaves nothing', async () => {
    // A file system of 10 GiB with 2 GiB free less what the spool has written: the reserve of 1.9 GiB is
    // crossed after about 100 MiB, so the check at 128 MiB refuses it (the space is looked at every 64 MiB).
    const GiB = 2 ** 30;
    const looked: number[] = [];
    const spaceOf = async () => {
      const written = readdirSync(root).reduce(
        (n, dir) => n + (statSync(join(root, dir, 'catalog.ndjson'), { throwIfNoEntry: false })?.size ?? 0),
        0,
      );
      looked.push(written);
      return { free: 2 * GiB - written, total: 10 * GiB };
    };
    const refused = spoolUpload(upload(1024, 2 ** 20), { root, reserveBytes: 1.9 * GiB, spaceOf });
    await expect(refused).rejects.toThrow(
      /^Not enough free space to receive this catalog file: \d+ MiB free where the state is kept, and an upload must leave 1945 MiB; nothing was imported\.$/,
    );
    expect(readdirSync(root)).toEqual([]);
    expect(looked.length).toBeGreaterThan(1);
  });

  it('goes on when the look at the free space fails in the middle of an upload', async () => {
    let looks = 0;
    const spaceOf = async () => {
      if (++looks > 1) throw new Error('statfs: EIO');
      return { free: 2 ** 40, total: 2 ** 41 };
    };
    const spooled = await spoolUpload(upload(130, 2 ** 20), { root, reserveBytes: 2 ** 30, spaceOf });
    expect(looks).toBe(3);
    spooled.dispose();
  });

  it('refuses nothing for space where the file system cannot tell its free space', async () => {
    const spooled = await spoolUpload(upload(2, 10), { root, reserveBytes: 2 ** 50, spaceOf: async () => null });
    expect(await linesOf(spooled.openLines())).toEqual(['x'.repeat(20)]);
    spooled.dispose();
  });

  it('removes what an import that died long ago left behind, and nothing newer', async () => {
    mkdirSync(join(root, 'import-old'), { recursive: true });
    mkdirSync(join(root, 'import-recent'));
    const twoDaysAgo = new Date(Date.now() - 48 * 3600_000);
    utimesSync(join(root, 'import-old'), twoDaysAgo, twoDaysAgo);
    const spooled = await spoolUpload(upload(1, 10), { root, reserveBytes: 0 });
    expect(readdirSync(root)).toContain('import-recent');
    expect(readdirSync(root)).not.toContain('import-old');
    spooled.dispose();
  });

  it('keeps 5% of the file system free, at least 1 GiB and at most 10 GiB', () => {
    const GiB = 2 ** 30;
    expect(defaultSpoolReserve(8 * GiB)).toBe(GiB);
    expect(defaultSpoolReserve(100 * GiB)).toBe(5 * GiB);
    expect(defaultSpoolReserve(10_000 * GiB)).toBe(10 * GiB);
  });
});
