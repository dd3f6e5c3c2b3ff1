import { UnsupportedCompression } from '../errors';
import { bz2Codec } from './bz2.codec';
import type { Codec } from './codec';
import { type CodecName, compressionNamed } from './codec-names';
import { noneCodec } from './none.codec';
import { zlibCodec } from './zlib.codec';
import { zstdCodec } from './zstd.codec';

const CODECS: Readonly<Record<CodecName, Codec>> = { zlib: zlibCodec, bz2: bz2Codec, zstd: zstdCodec, none: noneCodec };

export const codecNamed = (name: CodecName): Codec => CODECS[name];

/** The codec that reads an object by the `compression` recorded for it, any name of codec-names.ts (`gzip` is zlib bytes). */
export const codecForRecorded = (compression: string): Codec => {
  const known = compressionNamed(compression);
  if (!known) throw new UnsupportedCompression(compression);
  return CODECS[known.codec];
};
