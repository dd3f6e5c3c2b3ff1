import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { Readable, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { InvalidContainer, InvalidObjectName, MissingBackupObject, RepositoryUnavailable } from '../errors';
import type { BackupRepository, WriteRetries } from '../repository.port';
import { SwiftAuth, type SwiftAuthConfig, type SwiftSession } from './swift/swift-auth';
import { isConnectionError, isRetryableStatus, readBody, retryDelayMs, sleep, SwiftHttp, type RetryPolicy } from './swift/swift-http';
import { statusError, SwiftObjectWriter } from './swift/swift-object-writer';

export interface SwiftRepositoryOptions {
  readonly auth: SwiftAuthConfig;
  /** backup_swift_retry_attempts (3) and backup_swift_retry_backoff (2 s), as Cinder's swiftclient uses them. */
  readonly retry: RetryPolicy;
  /** A connection silent for this long is dropped (and retried). Default 120 s. */
  readonly timeoutMs?: number;
  /** Names per listing request. Default 10000, Swift's own maximum. */
  readonly listPageSize?: number;
}

/** A Swift container and the object-name folder inside it that one Strata container stands for. */
interface Place {
  readonly container: string;
  readonly folder: string;
}

const MAX_CONTAINER_BYTES = 256;
const MAX_OBJECT_BYTES = 1024;

/**
 * Cinder sends a container with slashes through unchanged, so Swift takes the first segment as the
 * container and the rest as the start of the object name. The same split here keeps such backups where
 * Cinder would have put them.
 */
const placeOf = (container: string): Place => {
  if (container.includes('\0')) throw new InvalidContainer(container, 'it contains a NUL byte');
  const segments = container.split('/').filter((s) => s !== '');
  const [first, ...rest] = segments;
  if (!first) throw new InvalidContainer(container, 'it is empty');
  if (segments.some((s) => s === '.' || s === '..')) throw new InvalidContainer(container, '"." and ".." may not appear in a container');
  if (Buffer.byteLength(first) > MAX_CONTAINER_BYTES)
    throw new InvalidContainer(container, `a Swift container name has at most ${MAX_CONTAINER_BYTES} bytes`);
  return { container: first, folder: rest.map((s) => `${s}/`).join('') };
};

const checkObjectName = (object: string): void => {
  if (object === '' || object.includes('\0')) throw new InvalidObjectName(object, 'empty or contains NUL');
  if (object.split('/').some((s) => s === '.' || s === '..')) throw new InvalidObjectName(object, 'contains a "." or ".." segment');
};

const pathOf = (place: Place, object?: string): string => {
  const name = object === undefined ? '' : `${place.folder}${object}`;
  if (Buffer.byteLength(name) > MAX_OBJECT_BYTES)
    throw new InvalidObjectName(name, `a Swift object name has at most ${MAX_OBJECT_BYTES} bytes`);
  const encoded = name.split('/').map(encodeURIComponent).join('/');
  return `/${encodeURIComponent(place.container)}${object === undefined ? '' : `/${encoded}`}`;
};

interface Call {
  readonly operation: string;
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly headers?: OutgoingHttpHeaders;
}

/**
 * Cinder's Swift repository over plain HTTP: tempauth or Keystone logins, retries with doubling backoff on
 * 5xx answers and dropped connections (a read resumes where it broke, with Range and If-Match), streamed
 * uploads whose ETag must equal the md5 of the bytes sent.
 */
export class SwiftRepository implements BackupRepository {
  private readonly http: SwiftHttp;
  private readonly auth: SwiftAuth;
  private readonly containers = new Set<string>();
  private readonly pageSize: number;
  /** An upload that broke mid-body cannot be replayed from here: the engine rewrites it from the volume. */
  readonly writeRetries: WriteRetries;

  constructor(private readonly options: SwiftRepositoryOptions) {
    this.http = new SwiftHttp(options.timeoutMs ?? 120_000);
    this.auth = new SwiftAuth(options.auth, this.http);
    this.pageSize = options.listPageSize ?? 10_000;
    this.writeRetries = { attempts: options.retry.attempts, delayMs: (n) => retryDelayMs(options.retry, n) };
  }

  /** Closes idle keep-alive connections (the process can then exit without waiting for them). */
  close(): void {
    this.http.close();
  }

  private url(session: SwiftSession, call: Call): URL {
    const url = new URL(`${session.storageUrl}${call.path}`);
    for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, v);
    return url;
  }

  /**
   * Runs `attempt` with a fresh session until it gives an answer worth returning: a 401 renews the login
   * once, 5xx answers and connection failures are retried with backoff, anything else is returned.
   */
  private async retrying<T extends IncomingMessage | { response?: IncomingMessage }>(
    call: Call,
    attempt: (session: SwiftSession) => Promise<T>,
    statusOf: (r: T) => IncomingMessage | undefined,
  ): Promise<T> {
    let renewed = false;
    for (let retry = 0; ;) {
      try {
        const session = await this.auth.current();
        const result = await attempt(session);
        const res = statusOf(result);
        if (res?.statusCode === 401 && this.auth.canRenew && !renewed) {
          res.resume();
          this.auth.invalidate(session);
          renewed = true;
          continue;
        }
        if (res && isRetryableStatus(res.statusCode) && retry < this.options.retry.attempts) {
          await readBody(res).catch(() => '');
          await sleep(retryDelayMs(this.options.retry, ++retry));
          continue;
        }
        return result;
      } catch (e) {
        if (!isConnectionError(e)) throw e;
        if (retry >= this.options.retry.attempts)
          throw new RepositoryUnavailable(`${call.operation} ${call.path} failed after ${retry + 1} tries: ${(e as Error).message}`);
        await sleep(retryDelayMs(this.options.retry, ++retry));
      }
    }
  }

  private send(call: Call, method: string): Promise<IncomingMessage> {
    return this.retrying(
      call,
      (s) => this.http.send(method, this.url(s, call), { ...call.headers, 'X-Auth-Token': s.token }),
      (r) => r,
    );
  }

  async ensureContainer(container: string): Promise<void> {
    const place = placeOf(container);
    if (this.containers.has(place.container)) return;
    const call = { operation: 'PUT container', path: pathOf(place) };
    const res = await this.send(call, 'PUT');
    if (res.statusCode !== 201 && res.statusCode !== 202) throw await statusError(call.operation, place.container, res);
    res.resume();
    this.containers.add(place.container);
  }

  async *list(container: string, prefix: string): AsyncIterable<string> {
    const place = placeOf(container);
    let marker = '';
    for (;;) {
      const query = { format: 'json', prefix: `${place.folder}${prefix}`, limit: String(this.pageSize), ...(marker ? { marker } : {}) };
      const call = { operation: 'GET container', path: pathOf(place), query };
      const res = await this.send(call, 'GET');
      if (res.statusCode === 404) return void res.resume();
      if (res.statusCode !== 200) throw await statusError(call.operation, place.container, res);
      const page = JSON.parse(await readBody(res, 64 << 20)) as { name: string }[];
      for (const entry of page) yield entry.name.slice(place.folder.length);
      if (page.length < this.pageSize) return;
      marker = (page[page.length - 1] as { name: string }).name;
    }
  }

  async openWriter(container: string, object: string): Promise<Writable> {
    checkObjectName(object);
    const place = placeOf(container);
    const call: Call = { operation: 'PUT', path: pathOf(place, object) };
    const target = `${place.container}/${place.folder}${object}`;
    return new SwiftObjectWriter(target, async () => {
      const put = await this.retrying(
        call,
        (s) => this.startUpload(s, call),
        (p) => p.response,
      );
      if (put.response) throw await statusError('PUT', target, put.response);
      return { request: put.request, response: put.answer };
    });
  }

  /** One PUT, as for any object: the stream costs nothing next to the request. */
  async putObject(container: string, object: string, data: Buffer): Promise<void> {
    const writer = await this.openWriter(container, object);
    writer.end(data);
    await finished(writer);
  }

  /** Sends the headers and waits for `100 Continue`; an earlier final answer comes back as `response`. */
  private startUpload(session: SwiftSession, call: Call) {
    const request = this.http.open('PUT', this.url(session, call), {
      'X-Auth-Token': session.token,
      'Content-Type': 'application/octet-stream',
      'Transfer-Encoding': 'chunked',
      Expect: '100-continue',
    });
    const answer = new Promise<IncomingMessage>((resolve, reject) => {
      request.once('response', resolve);
      request.once('error', reject);
    });
    answer.catch(() => undefined);
    request.flushHeaders();
    return new Promise<{ request: typeof request; answer: Promise<IncomingMessage>; response?: IncomingMessage }>((resolve, reject) => {
      request.once('continue', () => resolve({ request, answer }));
      answer.then((response) => {
        request.destroy();
        resolve({ request, answer, response });
      }, reject);
    });
  }

  async openReader(container: string, object: string): Promise<Readable> {
    checkObjectName(object);
    const place = placeOf(container);
    const call: Call = { operation: 'GET', path: pathOf(place, object) };
    const res = await this.send(call, 'GET');
    if (res.statusCode === 404) {
      res.resume();
      throw new MissingBackupObject(container, object);
    }
    if (res.statusCode !== 200) throw await statusError(call.operation, `${place.container}/${place.folder}${object}`, res);
    return Readable.from(this.resumingBody(call, res), { objectMode: false });
  }

  /** The object's bytes; a connection that drops mid-body is reopened at the next byte, for the same object version. */
  private async *resumingBody(call: Call, first: IncomingMessage): AsyncGenerator<Buffer> {
    const etag = first.headers.etag;
    let res = first;
    let delivered = 0;
    for (let retry = 0; ;) {
      try {
        for await (const chunk of res) {
          delivered += (chunk as Buffer).length;
          yield chunk as Buffer;
        }
        return;
      } catch (e) {
        if (!isConnectionError(e) || retry >= this.options.retry.attempts)
          throw e instanceof RepositoryUnavailable
            ? e
            : new RepositoryUnavailable(`GET ${call.path} broke after ${delivered} bytes: ${(e as Error).message}`);
        await sleep(retryDelayMs(this.options.retry, ++retry));
        res = await this.send({ ...call, headers: { Range: `bytes=${delivered}-`, ...(etag ? { 'If-Match': etag } : {}) } }, 'GET');
        if (res.statusCode !== 206) throw await statusError(`GET (resuming at byte ${delivered})`, call.path, res);
      }
    }
  }

  async deleteObject(container: string, object: string): Promise<void> {
    checkObjectName(object);
    const place = placeOf(container);
    const call: Call = { operation: 'DELETE', path: pathOf(place, object) };
    const res = await this.send(call, 'DELETE');
    if (res.statusCode !== 204 && res.statusCode !== 200 && res.statusCode !== 404)
      throw await statusError(call.operation, `${place.container}/${place.folder}${object}`, res);
    res.resume();
  }
}
