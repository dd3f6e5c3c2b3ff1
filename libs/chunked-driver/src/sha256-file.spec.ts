import { createHash } from 'node:crypto';
import type { BackupHeader } from './metadata-file';
import { parseSha256File, serializeSha256File, sha256FileBytes } from './sha256-file';

const header = (over: Partial<BackupHeader> = {}): BackupHeader => ({
  backupId: 'bbbbbbbb-1111-4222-8333-000000000001',
  volumeId: 'aaaaaaaa-1111-4222-8333-000000000001',
  name: 'nightly',
  description: null,
  createdAt: '2026-12-06T01:02:03.456789Z',
  volumeMeta: null,
  parentId: null,
  ...over,
});
const digests = (n: number) => Array.from({ length: n }, (_, i) => createHash('sha256').update(String(i)).digest('hex'));

describe('sha256FileBytes: the bytes of the `_sha256file` text, laid straight into a buffer', () => {
  it.each([
    ['one digest', header(), digests(1)],
    ['a 1 GiB volume at 32 KiB blocks', header(), digests(32_768)],
    ['no digests', header(), []],
    [
      'a name and description with quotes, newlines and non-ASCII',
      header({ name: 'a "b"\n  "sha256s": []', description: 'é ✓ \\' }),
      digests(3),
    ],
    ['a digest that is not plain ASCII (the long way)', header(), ['abc', 'dé"f']],
  ])('given %s, writes exactly what serializeSha256File writes, in UTF-8', (_case, h, list) => {
    const bytes = sha256FileBytes(h, 32_768, list);

    expect(bytes.equals(Buffer.from(serializeSha256File(h, 32_768, list), 'utf8'))).toBe(true);
    expect(parseSha256File(bytes.toString('utf8')).sha256s).toEqual(list);
  });
});
