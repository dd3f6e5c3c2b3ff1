/** Strata's own routes (`/strata/v1`) beside the Cinder endpoint the CLI is configured with, and the streamed transfers. */
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { StrataApiError, type HttpSettings } from './strata-http';

/** `http://host:8776/v3` or `…/v3/<project>` → `http://host:8776/strata/v1`. */
export const strataV1 = (s: HttpSettings): HttpSettings => ({
  ...s,
  endpoint: `${s.endpoint.replace(/\/v3(\/[^/]*)?$/, '')}/strata/v1`,
});

const headersOf = (s: HttpSettings, extra: Record<string, string> = {}) => ({
  'X-Auth-Token': s.token,
  'OpenStack-API-Version': `volume ${s.microversion}`,
  ...extra,
});

const reach = async (s: HttpSettings, path: string, init: RequestInit): Promise<Response> => {
  let res: Response;
  try {
    res = await fetch(`${s.endpoint}${path}`, init);
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    throw new Error(`Unable to reach Strata at ${s.endpoint}: ${cause}`);
  }
  if (res.status < 400) return res;
  const text = await res.text();
  let message = res.statusText;
  try {
    message = Object.values(JSON.parse(text) as Record<string, { message?: string }>)[0]?.message ?? message;
  } catch {
    // not a fault body: keep the status text
  }
  throw new StrataApiError(res.status, message);
};

/** GETs a streamed body into `out` (a file or stdout) without holding it; returns the bytes written. */
export const download = async (s: HttpSettings, path: string, out: Writable): Promise<number> => {
  const res = await reach(s, path, { headers: headersOf(s, { Accept: 'application/x-ndjson' }) });
  let bytes = 0;
  const body = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  await pipeline(body, out, { end: out !== process.stdout });
  return bytes;
};

/** POSTs a file as the body, streamed, and returns the JSON answer. */
export const upload = async <T>(s: HttpSettings, path: string, file: string, contentType: string): Promise<T> => {
  const body = Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array>;
  const res = await reach(s, path, {
    method: 'POST',
    headers: headersOf(s, { Accept: 'application/json', 'Content-Type': contentType }),
    body,
    duplex: 'half',
  } as RequestInit);
  return (await res.json()) as T;
};

export const fileOrStdout = (file: string | undefined): Writable => (file ? createWriteStream(file) : process.stdout);
