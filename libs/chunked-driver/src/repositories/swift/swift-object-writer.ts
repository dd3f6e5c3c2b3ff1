import { createHash } from 'node:crypto';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { ObjectChecksumMismatch, RepositoryRequestFailed, RepositoryUnavailable } from '../../errors';
import { isRetryableStatus, readBody } from './swift-http';

/** Opens the PUT and waits for `100 Continue` (retrying what failed before any byte was sent). */
export type OpenPut = () => Promise<{ readonly request: ClientRequest; readonly response: Promise<IncomingMessage> }>;

export const statusError = async (operation: string, target: string, res: IncomingMessage): Promise<Error> => {
  const detail = (await readBody(res).catch(() => '')).trim().slice(0, 200);
  return isRetryableStatus(res.statusCode)
    ? new RepositoryUnavailable(`${operation} ${target} failed with HTTP ${res.statusCode}${detail ? `: ${detail}` : ''}`)
    : new RepositoryRequestFailed(operation, target, res.statusCode, detail);
};

/**
 * Streams one object into a chunked PUT. Each chunk is handed back (its callback runs) once the socket
 * has taken it, so nothing of the object is kept here. 'finish' comes after Swift's 201 and only when
 * its ETag equals the md5 of the bytes sent, as Cinder's Swift writer checks.
 */
export class SwiftObjectWriter extends Writable {
  private readonly md5 = createHash('md5');
  private opened: ReturnType<OpenPut> | null = null;
  private request: ClientRequest | null = null;
  private failure: Error | null = null;
  private pending: ((e?: Error | null) => void) | null = null;

  constructor(
    private readonly target: string,
    private readonly openPut: OpenPut,
  ) {
    super({ highWaterMark: 1 << 20 });
  }

  private open(): ReturnType<OpenPut> {
    if (!this.opened) {
      this.opened = this.openPut().then((put) => {
        this.request = put.request;
        put.request.on('error', (e) => this.fail(new RepositoryUnavailable(`PUT ${this.target}: ${e.message}`)));
        // An answer before the body is complete (413, 503, …) ends the upload.
        put.response.then(
          (res) => {
            if (!this.writableFinished && !put.request.writableEnded) void statusError('PUT', this.target, res).then((e) => this.fail(e));
          },
          () => undefined,
        );
        return put;
      });
    }
    return this.opened;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    const done = this.pending;
    this.pending = null;
    done?.(this.failure);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.open().then(({ request }) => {
      if (this.failure) return done(this.failure);
      this.md5.update(chunk);
      this.pending = done;
      request.write(chunk, (e) => {
        if (this.pending !== done) return;
        this.pending = null;
        done(e ? (this.failure ?? new RepositoryUnavailable(`PUT ${this.target}: ${e.message}`)) : null);
      });
    }, done);
  }

  override _final(done: (e?: Error | null) => void): void {
    (async () => {
      const { request, response } = await this.open();
      if (this.failure) throw this.failure;
      request.end();
      const res = await response.catch((e: Error) => {
        throw this.failure ?? new RepositoryUnavailable(`PUT ${this.target}: ${e.message}`);
      });
      if (res.statusCode !== 201) throw await statusError('PUT', this.target, res);
      res.resume();
      const etag = String(res.headers.etag ?? '').replace(/"/g, '');
      const sent = this.md5.digest('hex');
      if (etag !== sent) throw new ObjectChecksumMismatch(this.target, etag, sent);
    })().then(() => done(), done);
  }

  override _destroy(err: Error | null, done: (e?: Error | null) => void): void {
    this.request?.destroy();
    if (!this.request && this.opened)
      this.opened.then(
        ({ request }) => request.destroy(),
        () => undefined,
      );
    done(err);
  }
}
