import { CODEC_LEVELS, type CodecName, compressionNamed } from './codecs/codec-names';
import { InvalidDriverOptions } from './errors';

export type { CodecName } from './codecs/codec-names';

/** What a deployment configures (Cinder's option names in comments). */
export interface DriverOptions {
  /** backup_file_size / backup_swift_object_size: bytes of volume per chunk (and at most per object). */
  readonly objectSizeBytes: number;
  /** backup_sha_block_size_bytes / backup_swift_block_size. */
  readonly shaBlockSizeBytes: number;
  /** backup_compression_algorithm, case-insensitive, as configured. */
  readonly compression: string;
  /** Codec level; by default the codec's level in codecs/codec-names.ts. Any level reads back in Cinder. */
  readonly compressionLevel?: number;
  /** Worker threads for hashing, md5 and zstd. Default 2. */
  readonly workers?: number;
  /**
   * Objects up to this many bytes are compressed into memory, so that an object that does not shrink
   * is written once, raw. Larger objects stream to the repository and are rewritten raw if needed.
   * Default 16 MiB.
   */
  readonly bufferedObjectMaxBytes?: number;
}

export interface ResolvedDriverOptions {
  readonly objectSizeBytes: number;
  readonly shaBlockSizeBytes: number;
  readonly codec: CodecName;
  /** The `compression` value recorded for an object that did shrink (see codec-names.ts). */
  readonly recordedCompression: string;
  readonly compressionLevel: number;
  readonly workers: number;
  readonly bufferedObjectMaxBytes: number;
  /** Bytes read per piece, a whole number of blocks: about 4 MiB, 1 MiB for zlib (see pieceTargetBytes). */
  readonly pieceSizeBytes: number;
}

export const POSIX_DEFAULTS = { objectSizeBytes: 1999994880, shaBlockSizeBytes: 32768, compression: 'zlib' } as const;
export const SWIFT_DEFAULTS = { objectSizeBytes: 52428800, shaBlockSizeBytes: 32768, compression: 'zlib' } as const;

/**
 * About how much a backup reads, hashes and compresses at a time. Each piece is a round trip to a pool
 * thread for its block hashes, its md5 and its compression, so larger pieces cost less CPU: the 1 GiB
 * bench image's full zstd backup, engine alone, alternating: 2.26–2.84 s (CPU 4.5–5.6 s) in 4 MiB pieces
 * against 2.45–3.06 s (CPU 4.7–5.7 s) in 1 MiB pieces. zlib keeps 1 MiB: ParallelDeflate deflates each
 * piece on its own and judges it by its first bytes, which a larger piece of mixed content would mislead.
 */
const pieceTargetBytes = (codec: CodecName): number => (codec === 'zlib' ? 1 << 20 : 4 << 20);

const positiveInteger = (name: string, value: number): number => {
  if (!Number.isSafeInteger(value) || value <= 0) throw new InvalidDriverOptions(`${name} must be a positive integer, got ${value}`);
  return value;
};

/** Validates options before any I/O, with Cinder's refusal for a chunk size that is not a multiple of the block size. */
export const resolveDriverOptions = (options: DriverOptions): ResolvedDriverOptions => {
  const objectSizeBytes = positiveInteger('objectSizeBytes', options.objectSizeBytes);
  const shaBlockSizeBytes = positiveInteger('shaBlockSizeBytes', options.shaBlockSizeBytes);
  if (objectSizeBytes % shaBlockSizeBytes !== 0)
    throw new InvalidDriverOptions('Chunk size is not multiple of block size for creating hash.');
  const compression = compressionNamed(options.compression);
  if (!compression) throw new InvalidDriverOptions(`Unknown compression algorithm ${options.compression}`);
  const { codec, recorded } = compression;
  const { defaultLevel, minLevel: min, maxLevel: max } = CODEC_LEVELS[codec];
  const compressionLevel = options.compressionLevel ?? defaultLevel;
  if (codec !== 'none' && (!Number.isInteger(compressionLevel) || compressionLevel < min || compressionLevel > max))
    throw new InvalidDriverOptions(`compressionLevel for ${codec} must be an integer in [${min}, ${max}], got ${compressionLevel}`);
  const blocksPerPiece = Math.max(1, Math.floor(pieceTargetBytes(codec) / shaBlockSizeBytes));
  return {
    objectSizeBytes,
    shaBlockSizeBytes,
    codec,
    recordedCompression: recorded,
    compressionLevel,
    workers: positiveInteger('workers', options.workers ?? 2),
    bufferedObjectMaxBytes: options.bufferedObjectMaxBytes ?? 16 << 20,
    pieceSizeBytes: Math.min(objectSizeBytes, blocksPerPiece * shaBlockSizeBytes),
  };
};
