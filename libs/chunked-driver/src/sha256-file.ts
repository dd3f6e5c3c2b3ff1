import { type BackupHeader, DRIVER_VERSION, field, isCount, isNullableString, isString, parseJsonObject } from './metadata-file';
import { MalformedBackupFile, UnsupportedBackupVersion } from './errors';
import { pythonUtcDatetimeString } from './python-datetime';
import { pythonJsonDumps } from './python-json';

/** Cinder's `_sha256file`: one SHA-256 per block of the whole volume as it was at this backup. */
export interface Sha256File {
  readonly version: string;
  readonly backupId: string;
  readonly volumeId: string;
  readonly name: string | null;
  readonly description: string | null;
  readonly createdAt: string;
  /** Stored as `chunk_size`, but it is the SHA block size. */
  readonly blockSizeBytes: number;
  readonly sha256s: readonly string[];
}

export const serializeSha256File = (header: BackupHeader, blockSizeBytes: number, sha256s: readonly string[]): string =>
  pythonJsonDumps({
    backup_description: header.description,
    backup_id: header.backupId,
    backup_name: header.name,
    chunk_size: blockSizeBytes,
    created_at: pythonUtcDatetimeString(header.createdAt),
    sha256s: [...sha256s],
    version: DRIVER_VERSION,
    volume_id: header.volumeId,
  });

/** Printable ASCII without `"` and `\`: written as it is inside quotes (every hex digest is). */
const PLAIN = /^[ !#-[\]-~]*$/;
const SHA256S_EMPTY = '\n  "sha256s": []';

/**
 * The bytes of `serializeSha256File` (UTF-8), laid straight into one buffer. A 1 GiB volume's 32,768
 * digests serialised as text and then encoded took 35-40 ms of the event loop as a backup completed (a
 * 2.4 MB join, then its flattening and encoding); here 10 ms (2026-12-06). The rest of the file is
 * `pythonJsonDumps`' own text, with an empty list where the digests go; `ensure_ascii` makes all of it
 * ASCII, so each character is one byte. A digest that is not plain ASCII goes the long way.
 */
export const sha256FileBytes = (header: BackupHeader, blockSizeBytes: number, sha256s: readonly string[]): Buffer => {
  if (sha256s.length === 0 || !sha256s.every((h) => PLAIN.test(h)))
    return Buffer.from(serializeSha256File(header, blockSizeBytes, sha256s), 'utf8');
  const text = serializeSha256File(header, blockSizeBytes, []);
  // A raw newline is never inside a JSON string, so this is the key's own line.
  const at = text.indexOf(SHA256S_EMPTY);
  const head = `${text.slice(0, at)}\n  "sha256s": [\n`;
  const tail = `\n  ]${text.slice(at + SHA256S_EMPTY.length)}`;
  let total = head.length + tail.length + (sha256s.length - 1) * 2;
  for (const h of sha256s) total += h.length + 6; // four spaces and two quotes
  const out = Buffer.allocUnsafe(total);
  let off = out.write(head, 0, 'latin1');
  for (let i = 0; i < sha256s.length; i++) {
    if (i > 0) off = out.writeUInt16BE(0x2c0a, off); // ",\n"
    off = out.writeUInt32BE(0x20202020, off);
    out[off++] = 0x22;
    off += out.write(sha256s[i]!, off, 'latin1');
    out[off++] = 0x22;
  }
  off += out.write(tail, off, 'latin1');
  if (off !== total) throw new Error(`_sha256file: laid out ${off} of ${total} bytes`);
  return out;
};

const isHexList = (v: unknown): v is string[] => Array.isArray(v) && v.every((h) => typeof h === 'string');

export const parseSha256File = (text: string, object = '_sha256file'): Sha256File => {
  const doc = parseJsonObject(text, object);
  if (doc['version'] !== DRIVER_VERSION) throw new UnsupportedBackupVersion(doc['version']);
  const blockSizeBytes = field(doc, 'chunk_size', object, isCount, 'a block size');
  if (blockSizeBytes === 0) throw new MalformedBackupFile(object, '"chunk_size" must be positive');
  return {
    version: DRIVER_VERSION,
    backupId: field(doc, 'backup_id', object, isString, 'a string'),
    volumeId: field(doc, 'volume_id', object, isString, 'a string'),
    name: field(doc, 'backup_name', object, isNullableString, 'a string or null'),
    description: field(doc, 'backup_description', object, isNullableString, 'a string or null'),
    createdAt: field(doc, 'created_at', object, isString, 'a string'),
    blockSizeBytes,
    sha256s: field(doc, 'sha256s', object, isHexList, 'a list of hex digests'),
  };
};
