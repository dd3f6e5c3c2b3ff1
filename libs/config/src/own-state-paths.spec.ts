import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load-config';
import { managedPathPolicyOf, ownStatePaths } from './own-state-paths';

const cwd = () => mkdtempSync(join(tmpdir(), 'strata-config-'));
const sqlite = (option: string, path: string) => ['', '-wal', '-shm', '-journal'].map((suffix) => ({ option, path: path + suffix }));

describe('ownStatePaths', () => {
  it("lists the stores' files, then the volumes, the repository and the state directory", () => {
    const o = loadConfig({
      env: {
        STRATA_STATE_PATH: '/var/lib/strata',
        STRATA_EVENT_STORE: 'sqlite:/srv/log/events.sqlite',
        STRATA_CATALOG_PATH: '/srv/cat/catalog.sqlite',
        STRATA_VOLUMES_PATH: '/srv/volumes',
        STRATA_BACKUP_POSIX_PATH: '/srv/backup',
        STRATA_WORKER_CATALOG_PATH: '/srv/worker.sqlite',
        STRATA_AUTH_STRATEGY: 'tokens',
        STRATA_TOKEN_FILE: '/etc/strata/tokens.json',
      },
      cwd: cwd(),
    });

    expect(ownStatePaths(o)).toEqual([
      ...sqlite('event_store', '/srv/log/events.sqlite'),
      ...sqlite('catalog_path', '/srv/cat/catalog.sqlite'),
      ...sqlite('catalog_path', '/srv/cat/catalog.sqlite.rebuild'),
      ...sqlite('catalog_path', '/srv/cat/catalog.sqlite.old'),
      ...sqlite('worker_catalog_path', '/srv/worker.sqlite'),
      ...sqlite('worker_catalog_path', '/srv/worker.sqlite.rebuild'),
      ...sqlite('worker_catalog_path', '/srv/worker.sqlite.old'),
      { option: 'token_file', path: '/etc/strata/tokens.json' },
      { option: 'volumes_path', path: '/srv/volumes' },
      { option: 'backup_posix_path', path: '/srv/backup' },
      { option: 'backup_mount_point_base', path: '/var/lib/strata/backup_mount' },
      { option: 'state_path', path: '/var/lib/strata' },
    ]);
  });

  it('lists no file for an in-memory or EventStoreDB store, and a local backup_share', () => {
    const o = loadConfig({
      env: {
        STRATA_STATE_PATH: '/s',
        STRATA_EVENT_STORE: 'esdb://127.0.0.1:2113?tls=false',
        STRATA_BACKUP_DRIVER: 'cinder.backup.drivers.nfs.NFSBackupDriver',
        STRATA_BACKUP_SHARE: '/srv/share.ext4',
      },
      cwd: cwd(),
    });
    const options = ownStatePaths(o).map((p) => p.option);

    expect(options).not.toContain('event_store');
    expect(options).not.toContain('worker_catalog_path');
    expect(ownStatePaths(o)).toContainEqual({ option: 'backup_share', path: '/srv/share.ext4' });
  });

  it('gives the volume provider managed_volume_paths with them', () => {
    const o = loadConfig({ env: { STRATA_STATE_PATH: '/s', STRATA_MANAGED_VOLUME_PATHS: '/srv/images' }, cwd: cwd() });
    expect(managedPathPolicyOf(o)).toEqual({ managedVolumePaths: ['/srv/images'], ownPaths: ownStatePaths(o) });
  });
});
