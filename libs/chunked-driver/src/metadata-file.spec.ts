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
    // Texts JSON.stringify would write otherwise: each must still come out as json.dumps writes it.
    [
      'keys in code-point order, whatever the object’s',
      { b: 1, B: 2, a: { z: 1, y: [] } },
      '{\n  "B": 2,\n  "a": {\n    "y": [],\n    "z": 1\n  },\n  "b": 1\n}',
    ],
    ['keys JavaScript orders as indexes', { 9: 'x', 10: 'y', a: 0 }, '{\n  "10": "y",\n  "9": "x",\n  "a": 0\n}'],
    ['DEL, which ensure_ascii escapes and JSON.stringify does not', { k: 'a\u007f' }, '{\n  "k": "a\\u007f"\n}'],
    ['control characters and a lone surrogate', ['\u0001\b\f\r', '\ud800'], '[\n  "\\u0001\\b\\f\\r",\n  "\\ud800"\n]'],
    ['a non-ASCII string in a list of objects', [{ n: 'ü' }], '[\n  {\n    "n": "\\u00fc"\n  }\n]'],
  ])('%s', (_case, value, text) => {
    expect(pythonJsonDumps(value)).toBe(text);
    expect(pythonJsonBytes(value).equals(Buffer.from(text, 'utf8'))).toBe(true);
  });

  it('refuses a number that is not a safe integer, as Cinder’s format holds none', () => {
    expect(() => pythonJsonDumps({ a: [1.5] })).toThrow(TypeError);
    expect(() => pythonJsonBytes({ a: 2 ** 60 })).toThrow(TypeError);
  });

  it('writes a _sha256file of 32,768 hashes byte for byte as json.dumps lays it out', () => {
    const hashes = Array.from({ length: 32_768 }, (_, i) => i.toString(16).padStart(64, '0'));
    const expected = `{\n  "chunk_size": 32768,\n  "sha256s": [\n${hashes.map((h) => `    "${h}"`).join(',\n')}\n  ]\n}`;

    expect(pythonJsonBytes({ sha256s: hashes, chunk_size: 32_768 }).toString('latin1')).toBe(expected);
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
