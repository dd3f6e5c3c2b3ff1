import type { Express, Response } from 'express';

/** Items of a top-level array from which a body is written item by item. */
const LONG_LIST = 64;
const CHUNK_BYTES = 64 * 1024;

/**
 * The bytes of `JSON.stringify(body)` for a body whose top level holds a long list (`hasLongList`: a
 * 1,000-row page), written item by item, in chunks. V8 builds one `JSON.stringify` of a large value as a
 * rope of parts, and turning that rope into the response's bytes flattened and copied it again: 4.5 ms of
 * a 1,000-backup page's 20 ms. Each item's text here is small and flat, and is encoded straight into
 * 64 KiB buffers, which go to the socket as they are: joining them was another 1.7 ms and 1 MB per page.
 */
export const longListBody = (body: Record<string, unknown>): Buffer[] => {
  const writer = new ChunkWriter();
  let first = true;
  writer.write('{');
  for (const [key, value] of Object.entries(body)) {
    // As JSON.stringify: a key whose value has no JSON form (undefined, a function) is left out.
    const list = Array.isArray(value) && value.length >= LONG_LIST ? value : null;
    const text = list ? null : JSON.stringify(value);
    if (!list && text === undefined) continue;
    writer.write(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    if (!list) {
      writer.write(text!);
      continue;
    }
    writer.write('[');
    list.forEach((item, i) => writer.write(`${i === 0 ? '' : ','}${JSON.stringify(item) ?? 'null'}`));
    writer.write(']');
  }
  writer.write('}');
  return writer.bytes();
};

/** A plain object (no toJSON of its own) with a long array at its top level. */
export const hasLongList = (body: unknown): body is Record<string, unknown> =>
  typeof body === 'object' &&
  body !== null &&
  !Array.isArray(body) &&
  typeof (body as { toJSON?: unknown }).toJSON !== 'function' &&
  Object.values(body).some((value) => Array.isArray(value) && value.length >= LONG_LIST);

class ChunkWriter {
  private readonly chunks: Buffer[] = [];
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;

  write(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.used + text.length * 3 > this.chunk.length) {
      this.chunks.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, text.length * 3));
      this.used = 0;
    }
    this.used += this.chunk.write(text, this.used, 'utf8');
  }

  bytes(): Buffer[] {
    this.chunks.push(this.chunk.subarray(0, this.used));
    return this.chunks;
  }
}

/**
 * Has this Express app's `res.json` write a body holding a long list with `longListBody`, with the headers
 * Express gives JSON (and its Content-Length; no body for HEAD); any other body goes to Express's own. Set
 * once on the app's response prototype. The app sends no ETag (`create-app.ts`), so no request is fresh.
 */
export const writeLongListsItemByItem = (app: Express): void => {
  const json = app.response.json;
  app.response.json = function (this: Response, body?: unknown) {
    if (!hasLongList(body)) return json.call(this, body);
    if (!this.get('Content-Type')) this.set('Content-Type', 'application/json');
    const chunks = longListBody(body);
    this.set('Content-Length', String(chunks.reduce((n, chunk) => n + chunk.length, 0)));
    if (this.req.method === 'HEAD') {
      this.end();
      return this;
    }
    // Corked, the chunks leave in one writev with the headers, as one Buffer did.
    this.cork();
    for (const chunk of chunks) this.write(chunk);
    this.end();
    return this;
  };
};
