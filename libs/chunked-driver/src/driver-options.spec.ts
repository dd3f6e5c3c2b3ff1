import { POSIX_DEFAULTS, resolveDriverOptions, SWIFT_DEFAULTS } from './driver-options';

describe('resolveDriverOptions', () => {
  it('refuses an object size that is not a multiple of the block size (test_backup_invalid_size)', () => {
    expect(() => resolveDriverOptions({ objectSizeBytes: 999, shaBlockSizeBytes: 1024, compression: 'zlib' })).toThrow(
      'Chunk size is not multiple of block size for creating hash.',
    );
  });

  it.each([
    ['none', 'none', 'none'],
    ['off', 'none', 'none'],
    ['No', 'none', 'none'],
    ['zlib', 'zlib', 'zlib'],
    ['gzip', 'zlib', 'gzip'],
    ['bz2', 'bz2', 'bz2'],
    ['BZIP2', 'bz2', 'bzip2'],
    ['zstd', 'zstd', 'zstd'],
  ])('maps compression %s to codec %s recorded as %s', (compression, codec, recorded) => {
    expect(resolveDriverOptions({ ...POSIX_DEFAULTS, compression })).toMatchObject({ codec, recordedCompression: recorded });
  });

  it('refuses an unknown compression and an out-of-range level', () => {
    expect(() => resolveDriverOptions({ ...SWIFT_DEFAULTS, compression: 'lz4' })).toThrow('Unknown compression algorithm lz4');
    expect(() => resolveDriverOptions({ ...SWIFT_DEFAULTS, compressionLevel: 12 })).toThrow('compressionLevel for zlib');
  });

  it('reads in pieces of about 4 MiB made of whole blocks, 1 MiB for zlib, never more than an object', () => {
    expect(resolveDriverOptions({ ...POSIX_DEFAULTS, compression: 'zstd' }).pieceSizeBytes).toBe(4 << 20);
    expect(resolveDriverOptions({ ...POSIX_DEFAULTS }).pieceSizeBytes).toBe(1 << 20);
    expect(resolveDriverOptions({ objectSizeBytes: 3000 * 2000, shaBlockSizeBytes: 3000, compression: 'none' }).pieceSizeBytes).toBe(
      3000 * 1398,
    );
    expect(resolveDriverOptions({ objectSizeBytes: 3000 * 700, shaBlockSizeBytes: 3000, compression: 'none' }).pieceSizeBytes).toBe(
      3000 * 700,
    );
  });
});
