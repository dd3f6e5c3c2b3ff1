import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Writes text chunks to the response as they are produced, with back-pressure: the producer waits
 * while the client is slow. A failure after the first byte can only cut the response short.
 */
export const streamTo = async (res: Response, contentType: string, chunks: AsyncIterable<string> | Iterable<string>): Promise<void> => {
  res.status(200);
  res.setHeader('Content-Type', contentType);
  try {
    await pipeline(Readable.from(chunks), res);
  } catch (error) {
    // Before the first byte the fault filter can still answer; after it, only cutting the body short tells the client.
    if (!res.headersSent) throw error;
    res.destroy();
  }
};

/** About what one write to the socket carries: one write per item made a 100,000-item list 100,000 writes. */
const CHUNK_CHARS = 64 * 1024;

/**
 * `{"<key>": [item, item, …], …}` from items that are JSON text already, which come in batches (a window of
 * rows from the catalog), handed on in chunks of about 64 KiB, so a long list is never one string in memory,
 * nor one write per item.
 */
export async function* jsonListChunks(
  head: Record<string, unknown>,
  key: string,
  batches: Iterable<readonly string[]> | AsyncIterable<readonly string[]>,
): AsyncGenerator<string> {
  const opening = JSON.stringify(head);
  let chunk = `${opening.slice(0, -1)}${opening.length > 2 ? ',' : ''}${JSON.stringify(key)}:[`;
  let first = true;
  for await (const items of batches)
    for (const item of items) {
      chunk += first ? item : `,${item}`;
      first = false;
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
  yield `${chunk}]}`;
}
