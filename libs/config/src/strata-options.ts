import { COMPRESSION_ALGORITHMS } from '@strata/chunked-driver/codecs/codec-names';
import type { BarbicanOptions, KeyManagerOptions } from './key-manager-options';
import type { KeystoneAuthtokenOptions } from './keystone-authtoken-options';
import { parseBoolean, parseInteger, parseList, parseString } from './option-parsers';

/**
 * Every option Strata reads, under Cinder's names where Cinder has one. The value of an option is
 * looked up in the environment (`STRATA_` + name in capitals), then in `[DEFAULT]` of strata.conf,
 * then taken from the default here. `$state_path` in a string is expanded after all are read.
 */
export const optionDefinitions = {
  osapi_volume_listen: parseString('127.0.0.1'),
  osapi_volume_listen_port: parseInteger(8776, { min: 0, max: 65535 }),
  state_path: parseString('./data'),
  auth_strategy: parseString('noauth', ['noauth', 'tokens', 'keystone']),
  token_file: parseString(''),
  event_store: parseString('sqlite:$state_path/events.sqlite'),
  catalog_path: parseString('$state_path/catalog.sqlite'),
  volumes_path: parseString('$state_path/volumes'),
  /** What Cinder's manage API may adopt: absolute directories, and globs of block devices (`/dev/*`: devices only). */
  managed_volume_paths: parseList(['/dev/*']),
  run_worker: parseBoolean(true),
  storage_availability_zone: parseString('nova'),
  /**
   * Cinder's `host`, the machine's hostname when empty: this process's services register under it, and
   * notifications are published as `backup.<host>`, `volume.<host>`, `snapshot.<host>`.
   */
  host: parseString(''),
  /** Seconds between two heartbeats of a service (Cinder's `report_interval`). */
  report_interval: parseInteger(10, { min: 1, max: 3600 }),
  /** A service whose last heartbeat is older than this many seconds is down (Cinder's `service_down_time`). */
  service_down_time: parseInteger(60, { min: 1, max: 86400 }),
  /** Backups and restores one worker process runs at once; 0 is unlimited (Cinder's option and default). */
  backup_max_operations: parseInteger(15, { min: 0, max: 10000 }),
  /** The type of a volume created without one (Cinder's option and default); it must exist when first used. */
  default_volume_type: parseString('__DEFAULT__'),
  backup_driver: parseString('cinder.backup.drivers.posix.PosixBackupDriver'),
  backup_posix_path: parseString('$state_path/backup'),
  backup_container: parseString(''),
  /** Cinder's names from the driver's codec table, imported by path: the barrel would load the whole driver. */
  backup_compression_algorithm: parseString('zlib', COMPRESSION_ALGORITHMS),
  backup_compression_level: parseInteger(1, { min: 1, max: 19 }),
  backup_sha_block_size_bytes: parseInteger(32768, { min: 1 }),
  backup_file_size: parseInteger(1999994880, { min: 1 }),
  backup_enable_progress_timer: parseBoolean(true),
  backup_swift_object_size: parseInteger(52428800, { min: 1 }),
  backup_swift_block_size: parseInteger(32768, { min: 1 }),
  backup_swift_enable_progress_timer: parseBoolean(true),
  backup_swift_container: parseString('volumebackups'),
  backup_share: parseString(''),
  backup_mount_options: parseString(''),
  backup_mount_point_base: parseString('$state_path/backup_mount'),
  backup_mount_attempts: parseInteger(3, { min: 1 }),
  osapi_max_limit: parseInteger(1000, { min: 1 }),
  /** Cinder's: seconds a user message is kept (shown) after it was created. */
  message_ttl: parseInteger(2592000, { min: 0 }),
  /** Cinder's default quotas per project (-1: unlimited); the `default` quota class overrides them. */
  quota_volumes: parseInteger(10, { min: -1 }),
  quota_snapshots: parseInteger(10, { min: -1 }),
  quota_gigabytes: parseInteger(1000, { min: -1 }),
  quota_backups: parseInteger(10, { min: -1 }),
  quota_backup_gigabytes: parseInteger(1000, { min: -1 }),
  log_level: parseString('info', ['debug', 'info', 'warn', 'error']),
  backup_swift_url: parseString(''),
  backup_swift_auth_url: parseString(''),
  backup_swift_auth: parseString('single_user', ['per_user', 'single_user']),
  backup_swift_auth_version: parseString('1', ['1', '2', '3']),
  backup_swift_user: parseString(''),
  backup_swift_key: parseString(''),
  backup_swift_tenant: parseString(''),
  backup_swift_project: parseString(''),
  backup_swift_user_domain: parseString(''),
  backup_swift_project_domain: parseString(''),
  backup_swift_retry_attempts: parseInteger(3, { min: 0 }),
  backup_swift_retry_backoff: parseInteger(2, { min: 0 }),
  backup_mount_fstype: parseString('nfs'),
  worker_id: parseString(''),
  worker_lease_seconds: parseInteger(15, { min: 1, max: 3600 }),
  worker_catalog_path: parseString(':memory:'),
  /** oslo.messaging's: the AMQP URL (`rabbit://user:pass@host:port/vhost`) when no notification-specific one is set. */
  transport_url: parseString(''),
  /** oslo.messaging's: the topic exchange notifications are published to. */
  control_exchange: parseString('openstack'),
  /** `[oslo_messaging_notifications] driver`: messagingv2 (or messaging) publishes, noop or unset sends nothing. */
  notification_driver: parseString('', ['', 'messagingv2', 'messaging', 'noop']),
  /** `[oslo_messaging_notifications] topics`: each notification goes to `<topic>.<priority>` for every topic. */
  notification_topics: parseList(['notifications']),
  /** `[oslo_messaging_notifications] transport_url`: overrides transport_url for notifications. */
  notification_transport_url: parseString(''),
  /** Cinder's: seconds between two timed `backup.createprogress` notifications of one backup. */
  backup_timer_interval: parseInteger(120, { min: 1 }),
  /** Cinder's: a `backup.createprogress` notification after every this many chunks. */
  backup_object_number_per_notification: parseInteger(10, { min: 1 }),
} as const;

/**
 * Options oslo.messaging reads from its own section of the file: `[section] key`. Their `[DEFAULT]`
 * names are the ones oslo.messaging still accepts there (deprecated), and the environment uses the names here.
 */
export const SECTION_OPTIONS: Partial<Record<OptionName, readonly [section: string, key: string]>> = {
  notification_driver: ['oslo_messaging_notifications', 'driver'],
  notification_topics: ['oslo_messaging_notifications', 'topics'],
  notification_transport_url: ['oslo_messaging_notifications', 'transport_url'],
};

export type OptionName = keyof typeof optionDefinitions;
/** `[DEFAULT]`, and the `[keystone_authtoken]`, `[key_manager]` and `[barbican]` sections, each as one object. */
export type StrataOptions = { readonly [K in OptionName]: ReturnType<(typeof optionDefinitions)[K]['parse']> } & {
  readonly keystone_authtoken: KeystoneAuthtokenOptions;
  readonly key_manager: KeyManagerOptions;
  readonly barbican: BarbicanOptions;
};

/** Options whose value is a secret: shown as `****` by `strata config check`, as oslo.config's `secret=True`. */
export const SECRET_OPTIONS: ReadonlySet<OptionName> = new Set<OptionName>([
  'backup_swift_key',
  'transport_url',
  'notification_transport_url',
]);
