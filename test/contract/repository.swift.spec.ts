import {
  ObjectChecksumMismatch,
  objectStorePrefix,
  RepositoryAuthFailed,
  RepositoryUnavailable,
  runBackup,
  runRestore,
  SwiftRepository,
  type BackupRepository,
} from '@strata/chunked-driver';
import { header, seededBytes, smallOptions, tempDir } from '@strata/chunked-driver/testing/fixtures';
import { repositoryContract } from '@strata/chunked-driver/testing/repository.contract';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { type Readable, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { FaultProxy } from '../support/fault-proxy';
import { KeystoneDouble } from '../support/keystone-double';
import { freshAccountUrl, removeAccount, startSwiftSaio, type SwiftSaio } from '../support/swift-saio';

const saio = startSwiftSaio();

const put = async (r: BackupRepository, container: string, name: string, data: Buffer): Promise<void> => {
  const w: Writable = await r.openWriter(container, name);
  w.end(data);
  await finished(w);
};
const get = async (r: BackupRepository, container: string, name: string): Promise<Buffer> => {
  const parts: Buffer[] = [];
  for await (const c of (await r.openReader(container, name)) as Readable) parts.push(c as Buffer);
  return Buffer.concat(parts);
};
const listed = async (r: BackupRepository, container: string, prefix: string): Promise<string[]> => {
  const names: string[] = [];
  for await (const n of r.list(container, prefix)) names.push(n);
  return names;
};

/** A repository in a fresh account, through `via` (the SAIO itself or a fault proxy in front of it). */
const swiftIn = (s: SwiftSaio, account: string, via = s.proxyUrl, more: { listPageSize?: number } = {}) =>
  new SwiftRepository({
    auth: {
      authUrl: `${via}/auth/v1.0`,
      authVersion: '1',
      user: s.resellerUser,
      key: s.resellerKey,
      storageUrl: account.replace(s.proxyUrl, via),
    },
    retry: { attempts: 3, backoffSeconds: 0.01 },
    ...more,
  });

if (!saio) {
  describe.skip('BackupRepository contract: swift (SAIO packages absent, see scripts/swift-saio.sh)', () => {
    it('needs swift-proxy, swift-object, swift-container, swift-account and memcached', () => undefined);
  });
} else {
  repositoryContract('swift (SAIO on 127.0.0.1, tempauth)', async () => {
    const account = freshAccountUrl(saio, 'contract');
    const repository = swiftIn(saio, account);
    return {
      repository,
      cleanup: async () => {
        await removeAccount(saio, account);
        repository.close();
      },
    };
  });

  describe('SwiftRepository on a real Swift', () => {
    let account: string;
    let proxy: FaultProxy;
    let repo: SwiftRepository;
    let faulty: SwiftRepository;
    beforeEach(async () => {
      account = freshAccountUrl(saio, 'swift');
      proxy = await FaultProxy.start(saio.proxyUrl);
      repo = swiftIn(saio, account);
      faulty = swiftIn(saio, account, proxy.url);
      await repo.ensureContainer('volumebackups');
    });
    afterEach(async () => {
      repo.close();
      faulty.close();
      await proxy.close();
      await removeAccount(saio, account);
    });

    it("stores Cinder's pseudo-directory names (§1.3) as they are, and lists them by prefix", async () => {
      const prefix = objectStorePrefix({ volumeId: 'v1', backupId: 'b1', at: new Date('2024-05-06T07:08:09Z'), availabilityZone: 'nova' });
      await put(repo, 'volumebackups', `${prefix}-00001`, Buffer.from('data'));
      await put(repo, 'volumebackups', `${prefix}_metadata`, Buffer.from('{}'));
      expect(await listed(repo, 'volumebackups', 'volume_v1/')).toEqual([
        'volume_v1/20240506070809/az_nova_backup_b1-00001',
        'volume_v1/20240506070809/az_nova_backup_b1_metadata',
      ]);
      const raw = await fetch(`${account}/volumebackups?format=json`, { headers: { 'X-Auth-Token': await tokenOf(saio) } });
      expect(((await raw.json()) as { name: string }[]).map((o) => o.name)).toContain('volume_v1/20240506070809/az_nova_backup_b1-00001');
    });

    it('treats a container with slashes as a Swift container and a folder in it, as Swift splits the path Cinder sends', async () => {
      await repo.ensureContainer('team/nightly');
      await put(repo, 'team/nightly', 'p-00001', Buffer.from('x'));
      expect(await listed(repo, 'team/nightly', 'p')).toEqual(['p-00001']);
      expect(await listed(repo, 'team', '')).toEqual(['nightly/p-00001']);
    });

    it('lists every name across pages', async () => {
      const paged = swiftIn(saio, account, saio.proxyUrl, { listPageSize: 2 });
      const names = ['p-00001', 'p-00002', 'p-00003', 'p-00004', 'p-00005', 'q-00001'];
      for (const n of names) await put(repo, 'volumebackups', n, Buffer.from(n));
      expect(await listed(paged, 'volumebackups', 'p')).toEqual(names.slice(0, 5));
      paged.close();
    });

    it.each([
      ['3', '/v3'],
      ['2', '/v2.0'],
    ] as const)('logs in through Keystone v%s and uses the object-store endpoint of its catalog', async (version, suffix) => {
      const keystone = await KeystoneDouble.start(
        { user: 'backup', password: 'secret', project: 'service', domain: 'Default' },
        account,
        () => tokenOf(saio),
      );
      const login = { authUrl: `${keystone.url}${suffix}`, authVersion: version, user: 'backup', project: 'service' };
      const viaKeystone = new SwiftRepository({ auth: { ...login, key: 'secret' }, retry: { attempts: 0, backoffSeconds: 0 } });
      const refused = new SwiftRepository({ auth: { ...login, key: 'wrong' }, retry: { attempts: 0, backoffSeconds: 0 } });
      try {
        await put(viaKeystone, 'volumebackups', 'p-00001', Buffer.from('through keystone'));
        expect((await get(repo, 'volumebackups', 'p-00001')).toString()).toBe('through keystone');
        await expect(refused.deleteObject('volumebackups', 'p-00001')).rejects.toThrow(RepositoryAuthFailed);
      } finally {
        viaKeystone.close();
        refused.close();
        await keystone.close();
      }
    });

    it('refuses wrong credentials with RepositoryAuthFailed naming the auth URL', async () => {
      const wrong = new SwiftRepository({
        auth: { authUrl: saio.authUrl, authVersion: '1', user: saio.user, key: 'not-the-key' },
        retry: { attempts: 0, backoffSeconds: 0 },
      });
      await expect(wrong.ensureContainer('volumebackups')).rejects.toThrow(RepositoryAuthFailed);
      await expect(wrong.ensureContainer('volumebackups')).rejects.toThrow(
        `Authentication at ${saio.authUrl} failed: HTTP 401 for user test:tester`,
      );
    });

    it('retries 5xx answers with backoff, for every kind of request', async () => {
      proxy.inject(
        { method: 'GET', path: '/auth/', kind: 'status', status: 503 },
        { method: 'PUT', kind: 'status', status: 503 },
        { method: 'PUT', kind: 'status', status: 500 },
        { method: 'GET', path: '/v1/', kind: 'status', status: 503 },
        { method: 'DELETE', kind: 'status', status: 502 },
      );
      await faulty.ensureContainer('volumebackups');
      await put(faulty, 'volumebackups', 'p-00001', Buffer.from('survives'));
      expect((await get(faulty, 'volumebackups', 'p-00001')).toString()).toBe('survives');
      await faulty.deleteObject('volumebackups', 'p-00001');
      expect(proxy.pending).toBe(0);
      expect(await listed(repo, 'volumebackups', '')).toEqual([]);
    });

    it('logs in again when Swift refuses the token (401), then repeats the request', async () => {
      await put(repo, 'volumebackups', 'p-00001', Buffer.from('x'));
      await faulty.ensureContainer('volumebackups');
      proxy.inject({ method: 'GET', path: '/v1/', kind: 'status', status: 401 });
      expect(await listed(faulty, 'volumebackups', 'p')).toEqual(['p-00001']);
      expect(proxy.seen.filter((s) => s.startsWith('GET /auth/'))).toHaveLength(2);
    });

    it('gives up with RepositoryUnavailable once the retries are spent', async () => {
      proxy.inject(...Array.from({ length: 4 }, () => ({ method: 'GET', path: '/v1/', kind: 'status' as const, status: 503 })));
      await expect(faulty.openReader('volumebackups', 'p-00001')).rejects.toThrow(RepositoryUnavailable);
    });

    it('resumes a read whose connection dropped mid-object, at the next byte', async () => {
      const data = seededBytes(3 << 20, 7);
      await put(repo, 'volumebackups', 'p-00001', data);
      proxy.inject({ method: 'GET', path: '/v1/', kind: 'drop-response-after', bytes: 1 << 20 });
      expect((await get(faulty, 'volumebackups', 'p-00001')).equals(data)).toBe(true);
      expect(proxy.seen.filter((s) => s.startsWith('GET /v1/'))).toHaveLength(2);
    });

    it('fails an upload whose connection dropped mid-body with RepositoryUnavailable, leaving no object', async () => {
      proxy.inject({ method: 'PUT', path: 'p-00001', kind: 'drop-request-after', bytes: 256 << 10 });
      await expect(put(faulty, 'volumebackups', 'p-00001', seededBytes(1 << 20))).rejects.toThrow(RepositoryUnavailable);
      expect(await listed(repo, 'volumebackups', '')).toEqual([]);
    });

    it("refuses an upload whose ETag is not the md5 of the bytes sent (Cinder's check)", async () => {
      proxy.inject({ method: 'PUT', path: 'p-00001', kind: 'replace-etag', etag: '0123456789abcdef0123456789abcdef' });
      await expect(put(faulty, 'volumebackups', 'p-00001', Buffer.from('payload'))).rejects.toThrow(
        new ObjectChecksumMismatch('volumebackups/p-00001', '0123456789abcdef0123456789abcdef', '321c3cf486ed509164edec1e1981fec8'),
      );
    });

    it('backs up through a dropped upload by writing that object again from the volume, and the backup restores', async () => {
      const tmp = await tempDir();
      try {
        const volume = path.join(tmp.dir, 'volume.img');
        await fsp.writeFile(volume, seededBytes(64 << 10, 3));
        const at = { container: 'volumebackups', prefix: 'volume_v/20240506070809/az_nova_backup_b' };
        proxy.inject({ method: 'PUT', path: 'backup_b-00003', kind: 'drop-request-after', bytes: 1024 });
        const result = await runBackup({
          repository: faulty,
          ...at,
          source: { path: volume },
          header: header(),
          options: smallOptions({ compression: 'none' }),
        });
        expect(proxy.seen.filter((s) => s.includes('backup_b-00003'))).toEqual([
          expect.stringMatching(/\[drop-request-after\]$/),
          expect.not.stringMatching(/\[/),
        ]);
        expect(result.objectCount).toBe(8);
        await runRestore({ repository: repo, chain: [at], target: { path: path.join(tmp.dir, 'restored.img'), isNew: true }, workers: 1 });
        expect((await fsp.readFile(path.join(tmp.dir, 'restored.img'))).equals(await fsp.readFile(volume))).toBe(true);
      } finally {
        await tmp.cleanup();
      }
    });
  });
}

async function tokenOf(s: SwiftSaio): Promise<string> {
  const res = await fetch(s.authUrl, { headers: { 'X-Auth-User': s.resellerUser, 'X-Auth-Key': s.resellerKey } });
  return res.headers.get('x-auth-token') ?? '';
}
