import { POSIX_DEFAULTS, resolveDriverOptions } from '../driver-options';
import { InvalidDriverOptions, UnsupportedCompression } from '../errors';
import { CODEC_LEVELS, COMPRESSION_ALGORITHMS, compressionNamed } from './codec-names';
import { codecForRecorded, codecNamed } from './codec-registry';

/** Cinder's names (chunkeddriver._get_compressor), the codec that writes each, and what `_metadata` records. */
const CINDER_NAMES = [
  ['none', 'none', 'none'],
  ['off', 'none', 'none'],
  ['no', 'none', 'none'],
  ['zlib', 'zlib', 'zlib'],
  ['gzip', 'zlib', 'gzip'],
  ['bz2', 'bz2', 'bz2'],
  ['bzip2', 'bz2', 'bzip2'],
  ['zstd', 'zstd', 'zstd'],
] as const;

describe('codec names', () => {
  it("lists every name backup_compression_algorithm accepts, in Cinder's order", () => {
    expect(COMPRESSION_ALGORITHMS).toEqual(CINDER_NAMES.map(([name]) => name));
  });

  it.each(CINDER_NAMES)('reads %s, in any case, as the %s codec recorded as %s', (name, codec, recorded) => {
    expect(compressionNamed(name)).toEqual({ codec, recorded });
    expect(compressionNamed(name.toUpperCase())).toEqual({ codec, recorded });
    expect(resolveDriverOptions({ ...POSIX_DEFAULTS, compression: name.toUpperCase() })).toMatchObject({
      codec,
      recordedCompression: recorded,
    });
  });

  it.each(CINDER_NAMES)('restores an object recorded as %s with the %s codec', (name, codec) => {
    expect(codecForRecorded(name)).toBe(codecNamed(codec));
    expect(codecForRecorded(name.toUpperCase())).toBe(codecNamed(codec));
  });

  it('records only names that restore reads with the codec that wrote them', () => {
    for (const [, codec, recorded] of CINDER_NAMES) expect(compressionNamed(recorded)?.codec).toBe(codec);
  });

  it.each(['lz4', 'constructor', ''])('refuses %j in driver options and in a recorded compression, as before', (name) => {
    expect(compressionNamed(name)).toBeUndefined();
    expect(() => resolveDriverOptions({ ...POSIX_DEFAULTS, compression: name })).toThrow(
      new InvalidDriverOptions(`Unknown compression algorithm ${name}`),
    );
    expect(() => codecForRecorded(name)).toThrow(new UnsupportedCompression(name));
  });

  it.each([
    ['zlib', 1, 0, 9],
    ['zstd', 1, -7, 22],
    ['bz2', 9, 1, 9],
  ] as const)('gives %s the default level %d and accepts levels %d to %d', (codec, defaultLevel, minLevel, maxLevel) => {
    expect(CODEC_LEVELS[codec]).toEqual({ defaultLevel, minLevel, maxLevel });
    expect(resolveDriverOptions({ ...POSIX_DEFAULTS, compression: codec }).compressionLevel).toBe(defaultLevel);
    expect(() => resolveDriverOptions({ ...POSIX_DEFAULTS, compression: codec, compressionLevel: maxLevel + 1 })).toThrow(
      `compressionLevel for ${codec} must be an integer in [${minLevel}, ${maxLevel}], got ${maxLevel + 1}`,
    );
  });
});
