import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Keystone's password login (v3 `POST /v3/auth/tokens`, v2 `POST /v2.0/tokens`) and nothing else: Keystone
 * itself cannot run in CI here. The token it hands out is a real Swift token from `issueToken`, and its
 * catalog's object-store endpoint is a real Swift account, so everything after the login is real Swift.
 */
export class KeystoneDouble {
  readonly logins: unknown[] = [];
  private readonly server: http.Server;

  private constructor(
    private readonly account: { user: string; password: string; project: string; domain: string },
    private readonly storageUrl: string,
    private readonly issueToken: () => Promise<string>,
  ) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  static async start(account: KeystoneDouble['account'], storageUrl: string, issueToken: () => Promise<string>): Promise<KeystoneDouble> {
    const k = new KeystoneDouble(account, storageUrl, issueToken);
    await new Promise<void>((r) => k.server.listen(0, '127.0.0.1', r));
    return k;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let text = '';
    for await (const c of req) text += c;
    const body = JSON.parse(text || '{}');
    this.logins.push(body);
    const a = this.account;
    if (req.method === 'POST' && req.url === '/v3/auth/tokens') {
      const user = body.auth?.identity?.password?.user;
      const project = body.auth?.scope?.project;
      if (
        user?.name !== a.user ||
        user?.password !== a.password ||
        user?.domain?.name !== a.domain ||
        project?.name !== a.project ||
        project?.domain?.name !== a.domain
      )
        return void res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error": {"code": 401, "title": "Unauthorized"}}');
      const catalog = [
        {
          type: 'object-store',
          endpoints: [
            { interface: 'internal', url: 'http://127.0.0.1:1/not-this-one' },
            { interface: 'public', url: this.storageUrl },
          ],
        },
      ];
      res.writeHead(201, { 'Content-Type': 'application/json', 'X-Subject-Token': await this.issueToken() });
      return void res.end(JSON.stringify({ token: { catalog } }));
    }
    if (req.method === 'POST' && req.url === '/v2.0/tokens') {
      const creds = body.auth?.passwordCredentials;
      if (creds?.username !== a.user || creds?.password !== a.password || body.auth?.tenantName !== a.project)
        return void res.writeHead(401).end();
      const access = {
        token: { id: await this.issueToken() },
        serviceCatalog: [{ type: 'object-store', endpoints: [{ publicURL: this.storageUrl }] }],
      };
      return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access }));
    }
    res.writeHead(404).end();
  }
}
