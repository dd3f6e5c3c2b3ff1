import { optionDefinitions } from './strata-options';

describe('backup_compression_algorithm', () => {
  const { parse } = optionDefinitions.backup_compression_algorithm;

  it.each(['none', 'off', 'no', 'zlib', 'gzip', 'bz2', 'bzip2', 'zstd'])("accepts Cinder's name %s in any case", (name) => {
    expect(parse(name.toUpperCase())).toBe(name);
  });

  it('refuses another name, listing the accepted ones', () => {
    expect(() => parse('lz4')).toThrow('"lz4" is not one of none, off, no, zlib, gzip, bz2, bzip2, zstd');
  });
});
