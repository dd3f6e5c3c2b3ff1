import { setTimeout as sleep } from 'node:timers/promises';

export interface HttpResult<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** Real HTTP against a running Strata, with the waits a client does (polling a status with a deadline). */
export class StrataClient {
  constructor(
    readonly baseUrl: string,
    private readonly defaultHeaders: Record<string, string> = { 'X-Auth-Token': 'admin:project-a' },
  ) {}

  as(headers: Record<string, string>) {
    return new StrataClient(this.baseUrl, headers);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...this.defaultHeaders,
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text for the assertion that will fail on it
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get = <T = any>(path: string, headers?: Record<string, string>) => this.request<T>('GET', path, undefined, headers);
  post = <T = any>(path: string, body: unknown, headers?: Record<string, string>) => this.request<T>('POST', path, body, headers);
  put = <T = any>(path: string, body: unknown, headers?: Record<string, string>) => this.request<T>('PUT', path, body, headers);
  delete = <T = any>(path: string, headers?: Record<string, string>) => this.request<T>('DELETE', path, undefined, headers);

  /** Polls GET path until `done(body)` holds; fails with the last body after the deadline. */
  async waitFor<T = any>(path: string, done: (body: T) => boolean, timeoutMs = 120_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await this.get<T>(path);
      if (res.status === 200 && done(res.body)) return res.body;
      if (Date.now() > deadline)
        throw new Error(`waited ${timeoutMs} ms for ${path}; last answer ${res.status} ${JSON.stringify(res.body)}`);
      await sleep(50);
    }
  }

  async createVolume(sizeGb = 1, name = 'vol') {
    const res = await this.post('/v3/volumes', { volume: { size: sizeGb, name } });
    if (res.status !== 202) throw new Error(`volume create: ${res.status} ${JSON.stringify(res.body)}`);
    return (await this.waitFor(`/v3/volumes/${res.body.volume.id}`, (b: any) => b.volume.status === 'available')).volume;
  }

  async createBackup(volumeId: string, extra: Record<string, unknown> = {}, waitForStatus: string | null = 'available') {
    const res = await this.post('/v3/backups', { backup: { volume_id: volumeId, ...extra } });
    if (res.status !== 202) throw new Error(`backup create: ${res.status} ${JSON.stringify(res.body)}`);
    if (!waitForStatus) return res.body.backup;
    return (
      await this.waitFor(`/v3/backups/${res.body.backup.id}`, (b: any) => b.backup.status === waitForStatus || b.backup.status === 'error')
    ).backup;
  }
}
