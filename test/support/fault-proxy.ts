import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One fault, applied to the next request that matches `method` (and whose path contains `path`, when given). */
export type Fault = { readonly path?: string } & (
  | { readonly method: string; readonly kind: 'status'; readonly status: number }
  | { readonly method: string; readonly kind: 'drop-response-after'; readonly bytes: number }
  | { readonly method: string; readonly kind: 'drop-request-after'; readonly bytes: number }
  | { readonly method: string; readonly kind: 'replace-etag'; readonly etag: string }
);

/**
 * A plain HTTP proxy in front of a real server that can fail chosen requests the way networks and
 * overloaded proxies do: an error status, a connection dropped mid-answer or mid-upload, a wrong ETag.
 */
export class FaultProxy {
  private readonly faults: Fault[] = [];
  readonly seen: string[] = [];
  private readonly server: http.Server;

  private constructor(private readonly target: URL) {
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  static async start(target: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(target));
    await new Promise<void>((r) => proxy.server.listen(0, '127.0.0.1', r));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  inject(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  get pending(): number {
    return this.faults.length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  private take(method: string, url: string): Fault | null {
    const i = this.faults.findIndex((f) => f.method === method && (!f.path || url.includes(f.path)));
    return i < 0 ? null : (this.faults.splice(i, 1)[0] as Fault);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const fault = this.take(req.method ?? '', req.url ?? '');
    this.seen.push(`${req.method} ${req.url}${fault ? ` [${fault.kind}]` : ''}`);
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'Content-Type': 'text/plain', Connection: 'close' }).end(`injected ${fault.status}`);
      req.socket.once('finish', () => req.socket.destroy());
      return;
    }
    const headers = { ...req.headers };
    delete headers.expect;
    const upstream = http.request({
      host: this.target.hostname,
      port: this.target.port,
      method: req.method,
      path: req.url,
      headers,
    });
    upstream.on('error', () => res.destroy());
    upstream.on('response', (answer) => {
      const out = { ...answer.headers };
      if (fault?.kind === 'replace-etag') out.etag = fault.etag;
      res.writeHead(answer.statusCode ?? 502, out);
      let sent = 0;
      answer.on('data', (c: Buffer) => {
        if (fault?.kind === 'drop-response-after' && sent + c.length > fault.bytes) {
          res.write(c.subarray(0, Math.max(0, fault.bytes - sent)), () => req.socket.destroy());
          answer.destroy();
          return;
        }
        sent += c.length;
        res.write(c);
      });
      answer.on('end', () => res.end());
    });
    let received = 0;
    req.on('data', (c: Buffer) => {
      received += c.length;
      if (fault?.kind === 'drop-request-after' && received > fault.bytes) {
        upstream.destroy();
        req.socket.destroy();
        return;
      }
      upstream.write(c);
    });
    req.on('end', () => upstream.end());
  }
}
