/**
 * Cinder's compression names, in one table: the values `backup_compression_algorithm` accepts, and the
 * `compression` a `_metadata` entry may record (Cinder's `_get_compressor` takes the same names for both,
 * case-insensitively). Configuration, driver options and restore all read it here. Pure and free of
 * imports, so that libs/config can load it without the driver.
 */
export type CodecName = 'zlib' | 'bz2' | 'zstd' | 'none';

export interface CompressionName {
  readonly codec: CodecName;
  /** What `_metadata` records for an object this name compressed: the name itself, `none` for its aliases. */
  readonly recorded: string;
}

/** Lower-cased, in Cinder's order (configuration's refusal lists them so). */
const COMPRESSION_NAMES = {
  none: { codec: 'none', recorded: 'none' },
  off: { codec: 'none', recorded: 'none' },
  no: { codec: 'none', recorded: 'none' },
  zlib: { codec: 'zlib', recorded: 'zlib' },
  gzip: { codec: 'zlib', recorded: 'gzip' }, // zlib bytes under the name gzip, as Cinder writes them
  bz2: { codec: 'bz2', recorded: 'bz2' },
  bzip2: { codec: 'bz2', recorded: 'bzip2' },
  zstd: { codec: 'zstd', recorded: 'zstd' },
} as const satisfies Readonly<Record<string, CompressionName>>;

export type CompressionAlgorithm = keyof typeof COMPRESSION_NAMES;

/** Every name `backup_compression_algorithm` accepts. */
export const COMPRESSION_ALGORITHMS = Object.keys(COMPRESSION_NAMES) as readonly CompressionAlgorithm[];

export interface CodecLevels {
  /** Defaults favour throughput; any level reads back in Cinder. */
  readonly defaultLevel: number;
  readonly minLevel: number;
  readonly maxLevel: number;
}

export const CODEC_LEVELS: Readonly<Record<CodecName, CodecLevels>> = {
  zlib: { defaultLevel: 1, minLevel: 0, maxLevel: 9 },
  zstd: { defaultLevel: 1, minLevel: -7, maxLevel: 22 },
  bz2: { defaultLevel: 9, minLevel: 1, maxLevel: 9 },
  none: { defaultLevel: 0, minLevel: 0, maxLevel: 0 },
};

/** The entry for a name in any case, or undefined for a name Cinder does not know (`constructor` included). */
export const compressionNamed = (name: string): CompressionName | undefined => {
  const key = name.toLowerCase();
  return Object.prototype.hasOwnProperty.call(COMPRESSION_NAMES, key) ? COMPRESSION_NAMES[key as CompressionAlgorithm] : undefined;
};
