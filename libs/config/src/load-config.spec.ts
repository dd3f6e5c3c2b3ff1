import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidConfiguration, loadConfig } from './load-config';
import { InvalidOption } from './option-parsers';

const dir = () => mkdtempSync(join(tmpdir(), 'strata-config-'));

describe('loadConfig', () => {
  it('runs on embedded defaults with no strata.conf', () => {
    const cwd = dir();
    const o = loadConfig({ env: {}, cwd });
    expect(o.state_path).toBe(join(cwd, 'data'));
    expect(o.event_store).toBe(`sqlite:${join(cwd, 'data', 'events.sqlite')}`);
    expect(o.backup_posix_path).toBe(join(cwd, 'data', 'backup'));
    expect(o.osapi_volume_listen_port).toBe(8776);
    expect(o.backup_compression_algorithm).toBe('zlib');
  });

  it('reads [DEFAULT] of strata.conf with Cinder option names', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'strata.conf'), '[DEFAULT]\n# a comment\nstate_path = /srv/strata\nbackup_compression_algorithm = ZSTD\n');
    const o = loadConfig({ env: {}, cwd });
    expect(o.backup_posix_path).toBe('/srv/strata/backup');
    expect(o.backup_compression_algorithm).toBe('zstd');
  });

  it('lets STRATA_<OPTION> override the file', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'strata.conf'), '[DEFAULT]\nosapi_volume_listen_port = 9000\n');
    expect(loadConfig({ env: { STRATA_OSAPI_VOLUME_LISTEN_PORT: '9100' }, cwd }).osapi_volume_listen_port).toBe(9100);
  });

  it('reads the file named by STRATA_CONFIG and refuses one that does not exist', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'other.conf'), '[DEFAULT]\nlog_level = debug\n');
    expect(loadConfig({ env: { STRATA_CONFIG: 'other.conf' }, cwd }).log_level).toBe('debug');
    expect(() => loadConfig({ env: { STRATA_CONFIG: 'missing.conf' }, cwd })).toThrow(InvalidConfiguration);
  });

  it('names the option and its source when a value does not parse', () => {
    expect(() => loadConfig({ env: { STRATA_BACKUP_FILE_SIZE: 'big' }, cwd: dir() })).toThrow(
      new InvalidOption('backup_file_size', 'environment STRATA_BACKUP_FILE_SIZE', '"big" is not an integer'),
    );
  });

  it('refuses an object size that is not a multiple of the block size', () => {
    expect(() => loadConfig({ env: { STRATA_BACKUP_SWIFT_OBJECT_SIZE: '1000' }, cwd: dir() })).toThrow(
      'backup_swift_object_size (1000) must be a multiple of backup_swift_block_size (32768)',
    );
    expect(() => loadConfig({ env: { STRATA_BACKUP_FILE_SIZE: '999', STRATA_BACKUP_SHA_BLOCK_SIZE_BYTES: '1024' }, cwd: dir() })).toThrow(
      InvalidConfiguration,
    );
  });

  describe('auth_strategy = keystone', () => {
    const section = [
      '[DEFAULT]',
      'auth_strategy = keystone',
      '[keystone_authtoken]',
      'www_authenticate_uri = http://keystone.example:5000/v3',
      'auth_url = http://keystone.internal:5000',
      'auth_type = password',
      'username = strata',
      'password = pa$state_pathss',
      'project_name = service',
      'service_token_roles = service, admin',
      'service_token_roles_required = true',
      'token_cache_time = 60',
      'interface = public',
      'region_name = RegionTwo',
    ].join('\n');

    it("reads [keystone_authtoken] under keystonemiddleware's names, the password as written", () => {
      const cwd = dir();
      writeFileSync(join(cwd, 'strata.conf'), section);
      const k = loadConfig({ env: {}, cwd }).keystone_authtoken;
      expect(k).toMatchObject({
        www_authenticate_uri: 'http://keystone.example:5000/v3',
        auth_url: 'http://keystone.internal:5000',
        password: 'pa$state_pathss',
        service_token_roles: ['service', 'admin'],
        service_token_roles_required: true,
        token_cache_time: 60,
        interface: 'public',
        region_name: 'RegionTwo',
        user_domain_name: 'Default',
      });
    });

    it('lets STRATA_KEYSTONE_AUTHTOKEN_<OPTION> override the section', () => {
      const cwd = dir();
      writeFileSync(join(cwd, 'strata.conf'), section);
      expect(loadConfig({ env: { STRATA_KEYSTONE_AUTHTOKEN_TOKEN_CACHE_TIME: '5' }, cwd }).keystone_authtoken.token_cache_time).toBe(5);
    });

    it("has keystonemiddleware's defaults", () => {
      expect(loadConfig({ env: {}, cwd: dir() }).keystone_authtoken).toMatchObject({
        token_cache_time: 300,
        service_token_roles: ['service'],
        service_token_roles_required: false,
        interface: 'internal',
      });
    });

    it.each(['www_authenticate_uri', 'auth_url', 'username', 'password', 'project_name'])('refuses to start without %s', (name) => {
      const cwd = dir();
      writeFileSync(
        join(cwd, 'strata.conf'),
        section
          .split('\n')
          .filter((l) => !l.startsWith(`${name} =`))
          .join('\n'),
      );
      expect(() => loadConfig({ env: {}, cwd })).toThrow(
        new InvalidConfiguration(`auth_strategy = keystone needs [keystone_authtoken] ${name}`),
      );
    });

    it('refuses an auth_type other than password', () => {
      expect(() => loadConfig({ env: { STRATA_KEYSTONE_AUTHTOKEN_AUTH_TYPE: 'v3token' }, cwd: dir() })).toThrow(InvalidOption);
    });
  });

  describe('managed_volume_paths', () => {
    it('admits block devices under /dev by default', () =>
      expect(loadConfig({ env: {}, cwd: dir() }).managed_volume_paths).toEqual(['/dev/*']));

    it('reads a comma-separated list of directories and device globs', () =>
      expect(
        loadConfig({ env: { STRATA_MANAGED_VOLUME_PATHS: ' /srv/images, /dev/loop*,,/dev/mapper/* ' }, cwd: dir() }).managed_volume_paths,
      ).toEqual(['/srv/images', '/dev/loop*', '/dev/mapper/*']));

    it('refuses a relative entry at start-up, saying what is expected', () =>
      expect(() => loadConfig({ env: { STRATA_MANAGED_VOLUME_PATHS: '/dev/*,images' }, cwd: dir() })).toThrow(
        new InvalidConfiguration(
          'managed_volume_paths must list absolute directories or device globs (such as /srv/images or /dev/loop*), got "images"',
        ),
      ));
  });

  describe('default_volume_type', () => {
    it("is Cinder's __DEFAULT__ unless set", () => {
      expect(loadConfig({ env: {}, cwd: dir() }).default_volume_type).toBe('__DEFAULT__');
      expect(loadConfig({ env: { STRATA_DEFAULT_VOLUME_TYPE: 'gold' }, cwd: dir() }).default_volume_type).toBe('gold');
    });

    it('refuses a name no volume type can have at start-up', () => {
      expect(() => loadConfig({ env: { STRATA_DEFAULT_VOLUME_TYPE: '  ' }, cwd: dir() })).toThrow(
        new InvalidConfiguration('default_volume_type must name a volume type (1 to 255 characters, not blank), got "  "'),
      );
      expect(() => loadConfig({ env: { STRATA_DEFAULT_VOLUME_TYPE: 'x'.repeat(256) }, cwd: dir() })).toThrow(InvalidConfiguration);
    });
  });

  describe('services', () => {
    it("registers under the machine's hostname unless host is set, with Cinder's intervals and backup_max_operations", () => {
      const o = loadConfig({ env: {}, cwd: dir() });
      expect(o.host).toBe(hostname());
      expect([o.report_interval, o.service_down_time, o.backup_max_operations]).toEqual([10, 60, 15]);
      expect(loadConfig({ env: { STRATA_HOST: 'node-1' }, cwd: dir() }).host).toBe('node-1');
    });

    it('refuses a host cinder service-disable could not name, and a down time not above the report interval', () => {
      expect(() => loadConfig({ env: { STRATA_HOST: 'node 1' }, cwd: dir() })).toThrow(InvalidConfiguration);
      expect(() => loadConfig({ env: { STRATA_REPORT_INTERVAL: '10', STRATA_SERVICE_DOWN_TIME: '10' }, cwd: dir() })).toThrow(
        new InvalidConfiguration('service_down_time (10) must be greater than report_interval (10)'),
      );
    });
  });
});

describe('loadConfig: notifications (oslo.messaging options)', () => {
  it('sends nothing by default, as Cinder with no notification driver', () => {
    const o = loadConfig({ env: {}, cwd: dir() });
    expect([o.notification_driver, o.notification_topics, o.control_exchange]).toEqual(['', ['notifications'], 'openstack']);
  });

  it('reads [oslo_messaging_notifications] driver, topics and transport_url from their section', () => {
    const cwd = dir();
    writeFileSync(
      join(cwd, 'strata.conf'),
      '[DEFAULT]\ncontrol_exchange = cinder\nhost = backup-1\n\n[oslo_messaging_notifications]\ndriver = messagingv2\n' +
        'topics = notifications, billing\ntransport_url = rabbit://u:p@127.0.0.1:5673/\n',
    );
    const o = loadConfig({ env: {}, cwd });
    expect([o.notification_driver, o.notification_topics, o.notification_transport_url]).toEqual([
      'messagingv2',
      ['notifications', 'billing'],
      'rabbit://u:p@127.0.0.1:5673/',
    ]);
    expect([o.control_exchange, o.host]).toEqual(['cinder', 'backup-1']);
  });

  it('takes [DEFAULT] transport_url when the section has none', () => {
    const cwd = dir();
    writeFileSync(
      join(cwd, 'strata.conf'),
      '[DEFAULT]\ntransport_url = rabbit://u:p@h:5672/\n[oslo_messaging_notifications]\ndriver = messagingv2\n',
    );
    expect(loadConfig({ env: {}, cwd }).transport_url).toBe('rabbit://u:p@h:5672/');
  });

  it('refuses a publishing driver without a broker, or with a URL it cannot use', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'strata.conf'), '[oslo_messaging_notifications]\ndriver = messagingv2\n');
    expect(() => loadConfig({ env: {}, cwd })).toThrow(/needs transport_url/);
    expect(() => loadConfig({ env: { STRATA_TRANSPORT_URL: 'kafka://h:9092' }, cwd })).toThrow(/rabbit:\/\//);
    expect(() => loadConfig({ env: { STRATA_NOTIFICATION_DRIVER: 'log' }, cwd: dir() })).toThrow(InvalidOption);
  });
});
