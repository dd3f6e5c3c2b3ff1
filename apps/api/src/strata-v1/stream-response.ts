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

/** `{"<key>": [item, item, …], …}` built item by item, so a long list is never one string in memory. */
export async function* jsonListChunks<T>(
  head: Record<string, unknown>,
  key: string,
  items: Iterable<T> | AsyncIterable<T>,
): AsyncGenerator<string> {
  const opening = JSON.stringify(head);
  yield `${opening.slice(0, -1)}${opening.length > 2 ? ',' : ''}${JSON.stringify(key)}:[`;
  let first = true;
  for await (const item of items) {
    yield `${first ? '' : ','}${JSON.stringify(item)}`;
    first = false;
  }
  yield ']}';
}
