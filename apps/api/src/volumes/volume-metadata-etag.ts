import { pythonJsonString } from '@strata/chunked-driver/python-json';
import { createHash } from 'node:crypto';

/**
 * Cinder's metadata ETag (3.15, cinder/api/v3/volume_metadata.py): the MD5 of `json.dumps({"metadata":
 * metadata})` as Python writes it (`", "` and `": "`, ensure_ascii), the items in the volume's order.
 */
export const metadataEtag = (metadata: Readonly<Record<string, string>>): string => {
  const items = Object.entries(metadata).map(([k, v]) => `${pythonJsonString(k)}: ${pythonJsonString(v)}`);
  return createHash('md5')
    .update(`{"metadata": {${items.join(', ')}}}`)
    .digest('hex');
};

/**
 * Whether `If-Match` admits the current ETag, as webob reads the header: absent or `*` admits anything,
 * otherwise the strong quoted tags it lists (weak `W/` ones never match), or the whole value when it
 * quotes none.
 */
export const ifMatchAdmits = (header: string | undefined, etag: string): boolean => {
  if (header === undefined || header === '' || header.trim() === '*') return true;
  const tags = [...header.matchAll(/(?:^|\s)(W\/)?"((?:\\"|.)*?)"/g)];
  const strong = tags.length === 0 ? [header] : tags.filter((m) => !m[1]).map((m) => m[2]);
  return strong.includes(etag);
};
