import { UnsupportedBackupVersion } from './errors';
import { parseMetadata, serializeMetadata } from './metadata-file';
import { pythonUtcDatetimeString } from './python-datetime';
import { pythonJsonBytes, pythonJsonDumps } from './python-json';
import { header } from './testing/fixtures';

describe('pythonJsonDumps (json.dumps(sort_keys=True, indent=2))', () => {
  it.each([
    ['empty containers', { b: [], a: {} }, '{\n  "a": {},\n  "b": []\n}'],
    [
      'nested lists and objects',
      { k: [1, { z: null, y: true }] },
      '{\n  "k": [\n    1,\n    {\n      "y": true,\n      "z": null\n    }\n  ]\n}',
    ],
    ['ensure_ascii escapes', 'é€😀\u007f"\\\n\t', '"\\u00e9\\u20ac\\ud83d\\ude00\\u007f\\"\\\\\\n\\t"'],
    ['a list of plain strings (a _sha256file’s hashes), nested', { s: ['ab', 'cd'] }, '{\n  "s": [\n    "ab",\n    "cd"\n  ]\n}'],
    ['a list of strings where one needs escaping', ['ab', 'c"d', 'é'], '[\n  "ab",\n  "c\\"d",\n  "\\u00e9"\n]'],
    [
      'two lists of plain strings, one of one item',
      { a: ['x'], b: ['yy', 'z'], c: 1 },
      '{\n  "a": [\n    "x"\n  ],\n  "b": [\n    "yy",\n    "z"\n  ],\n  "c": 1\n}',
    ],
  ])('%s', (_case, value, text) => {
    expect(pythonJsonDumps(value)).toBe(text);
    expect(pythonJsonBytes(value).equals(Buffer.from(text, 'utf8'))).toBe(true);
  });
});

describe('pythonUtcDatetimeString (str(datetime))', () => {
  it.each([
    ['2024-05-06T07:08:09Z', '2024-05-06 07:08:09+00:00'],
    ['2024-05-06T07:08:09.000Z', '2024-05-06 07:08:09+00:00'],
    ['2026-11-27T17:19:44.579568', '2026-11-27 17:19:44.579568+00:00'],
    ['2024-05-06T09:08:09.5+02:00', '2024-05-06 07:08:09.500000+00:00'],
  ])('%s → %s', (iso, python) => {
    expect(pythonUtcDatetimeString(iso)).toBe(python);
  });
});

describe('_metadata', () => {
  it('serialises an empty object list as []', () => {
    expect(serializeMetadata(header(), [])).toContain('"objects": [],');
  });

  it('round-trips through parseMetadata', () => {
    const h = header({ volumeMeta: '{"version": 2}' });
    const objects = [{ name: 'p-00001', offsetBytes: 0, lengthBytes: 10, compression: 'zlib', md5: 'f'.repeat(32) }];

    expect(parseMetadata(serializeMetadata(h, objects))).toMatchObject({ backupId: h.backupId, objects, volumeMeta: '{"version": 2}' });
  });

  it('refuses a version other than 1.0.0', () => {
    expect(() => parseMetadata('{"version": "1.1.0"}')).toThrow(new UnsupportedBackupVersion('1.1.0'));
  });
});
