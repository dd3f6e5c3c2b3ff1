import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { IniSyntaxError, parseIniLocated, type IniDocument, type IniLocations } from './ini';
import { environmentWarnings, optionNameWarning } from './option-warnings';
import { NESTED_SECTIONS } from './nested-sections';
import { InvalidOption, isOptionValueError, type OptionParser } from './option-parsers';
import { optionDefinitions, SECTION_OPTIONS, type OptionName, type StrataOptions } from './strata-options';

export interface LoadConfigInput {
  /** Environment to read STRATA_CONFIG and STRATA_<OPTION> overrides from. */
  readonly env?: NodeJS.ProcessEnv;
  /** Directory relative paths are resolved against (the working directory by default). */
  readonly cwd?: string;
}

export class InvalidConfiguration extends Error {
  override readonly name = 'InvalidConfiguration';
}

const envName = (option: string) => `STRATA_${option.toUpperCase()}`;

/** Where an option's value came from. */
export type OptionSource =
  | { readonly kind: 'default' }
  | { readonly kind: 'file'; readonly path: string; readonly line: number }
  | { readonly kind: 'environment'; readonly variable: string };

export const describeSource = (source: OptionSource): string =>
  source.kind === 'default' ? 'default' : source.kind === 'file' ? `${source.path}:${source.line}` : `environment ${source.variable}`;

/**
 * Everything read: the options (null when something is wrong), where each value came from, the warnings
 * (names that are not Strata's options: unknown, or Cinder's and not implemented; sections Strata does not
 * read) and the errors that stop the start-up (a value that does not parse, a combination refused).
 */
export interface ConfigReport {
  readonly configPath: string | null;
  readonly options: StrataOptions | null;
  readonly sources: Readonly<Record<OptionName, OptionSource>>;
  /** Each option's value: as Strata uses it, or (when something is wrong) as read, the text itself where it did not parse. */
  readonly values: Readonly<Record<OptionName, unknown>>;
  readonly warnings: readonly string[];
  readonly errors: readonly Error[];
}

/** Reads strata.conf and the environment into a report; never throws for a problem of the configuration. */
export const readConfig = ({ env = process.env, cwd = process.cwd() }: LoadConfigInput = {}): ConfigReport => {
  const errors: Error[] = [];
  const warnings: string[] = [];
  let file: ConfigFile = NO_FILE;
  try {
    file = readConfigFile(env, cwd);
  } catch (e) {
    if (!(e instanceof InvalidConfiguration || e instanceof IniSyntaxError)) throw e;
    errors.push(e);
  }
  warnings.push(...file.warnings, ...environmentWarnings(env));
  const raw: Record<string, unknown> = {};
  const sources = {} as Record<OptionName, OptionSource>;
  for (const name of Object.keys(optionDefinitions) as OptionName[]) {
    const parser = optionDefinitions[name];
    const fromEnv = env[envName(name)];
    // An option with a section of its own is read there first, then under its [DEFAULT] name.
    const [section, key] = SECTION_OPTIONS[name] ?? ['DEFAULT', name];
    const [fileSection, fileKey] = file.doc[section]?.[key] !== undefined ? [section, key] : ['DEFAULT', name];
    const fromFile = file.doc[fileSection]?.[fileKey];
    const source: OptionSource =
      fromEnv !== undefined
        ? { kind: 'environment', variable: envName(name) }
        : fromFile !== undefined && file.path
          ? { kind: 'file', path: file.path, line: file.at.options[fileSection]?.[fileKey] ?? 0 }
          : { kind: 'default' };
    sources[name] = source;
    const text = fromEnv ?? fromFile;
    if (text === undefined) {
      raw[name] = parser.defaultValue;
      continue;
    }
    try {
      raw[name] = parser.parse(text);
    } catch (e) {
      if (!isOptionValueError(e)) throw e;
      errors.push(new InvalidOption(name, describeSource(source), e.message));
      // Shown as written; the report has no options to start on anyway.
      raw[name] = text;
    }
  }
  for (const { section, definitions, envPrefix } of NESTED_SECTIONS)
    raw[section] = readNestedSection(definitions, file, section, env, envPrefix, errors);
  let options: StrataOptions | null = null;
  if (errors.length === 0) {
    try {
      options = { ...expandStatePath(raw as StrataOptions, cwd), host: (raw.host as string) || hostname() };
      validate(options);
    } catch (e) {
      if (!(e instanceof InvalidConfiguration)) throw e;
      errors.push(e);
      options = null;
    }
  }
  return { configPath: file.path, options, sources, values: options ?? (raw as Record<OptionName, unknown>), warnings, errors };
};

/** Reads strata.conf and the environment into typed, validated options; throws before anything starts. */
export const loadConfig = (input: LoadConfigInput = {}): StrataOptions => {
  const report = readConfig(input);
  if (report.errors.length > 0) throw report.errors[0];
  return report.options!;
};

/** Each option of one nested section: the environment first, then the file, then the default. */
const readNestedSection = (
  definitions: Readonly<Record<string, OptionParser<unknown>>>,
  file: ConfigFile,
  section: string,
  env: NodeJS.ProcessEnv,
  envPrefix: string,
  errors: Error[],
): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(definitions)) {
    const parser = definitions[name]!;
    const variable = `${envPrefix}${name.toUpperCase()}`;
    const fromEnv = env[variable];
    const text = fromEnv ?? file.doc[section]?.[name];
    if (text === undefined) {
      out[name] = parser.defaultValue;
      continue;
    }
    try {
      out[name] = parser.parse(text);
    } catch (e) {
      if (!isOptionValueError(e)) throw e;
      const where = fromEnv !== undefined ? `environment ${variable}` : `${file.path ?? ''}:${file.at.options[section]?.[name] ?? 0}`;
      errors.push(new InvalidOption(`[${section}] ${name}`, where, e.message));
      out[name] = text;
    }
  }
  return out;
};

interface ConfigFile {
  readonly path: string | null;
  readonly doc: IniDocument;
  readonly at: IniLocations;
  readonly warnings: readonly string[];
}

const NO_FILE: ConfigFile = { path: null, doc: {}, at: { sections: {}, options: {} }, warnings: [] };

/** The `[section] key`s read outside [DEFAULT] (SECTION_OPTIONS); every other one is reported as ignored. */
const SECTION_KEYS_READ = new Set([
  ...Object.values(SECTION_OPTIONS).map(([section, key]) => `${section}\0${key}`),
  ...NESTED_SECTIONS.flatMap(({ section, definitions }) => Object.keys(definitions).map((key) => `${section}\0${key}`)),
]);

const readConfigFile = (env: NodeJS.ProcessEnv, cwd: string): ConfigFile => {
  const explicit = env.STRATA_CONFIG || undefined;
  const path = resolve(cwd, explicit ?? 'strata.conf');
  if (!existsSync(path)) {
    if (explicit) throw new InvalidConfiguration(`Configuration file ${path} (STRATA_CONFIG) does not exist`);
    return NO_FILE;
  }
  let parsed: ReturnType<typeof parseIniLocated>;
  try {
    parsed = parseIniLocated(readFileSync(path, 'utf8'));
  } catch (e) {
    if (e instanceof IniSyntaxError) throw new IniSyntaxError(e.lineNumber, e.line, path);
    throw e;
  }
  const { doc, at } = parsed;
  const lines = at.options.DEFAULT ?? {};
  const warnings: string[] = [];
  for (const name of Object.keys(doc.DEFAULT ?? {})) {
    const warning = optionNameWarning(name, `${path}:${lines[name] ?? 0}`);
    if (warning) warnings.push(warning);
  }
  // oslo.config reads other sections for other purposes (database, keystone, back ends); Strata reads
  // only the keys of SECTION_OPTIONS and NESTED_SECTIONS there.
  for (const section of Object.keys(doc).filter((name) => name !== 'DEFAULT')) {
    const ignored = Object.keys(doc[section]!).filter((key) => !SECTION_KEYS_READ.has(`${section}\0${key}`));
    const readsAny = Object.keys(doc[section]!).length > ignored.length;
    if (ignored.length > 0 || !readsAny)
      warnings.push(
        readsAny
          ? `${path}:${at.sections[section] ?? 0}: in section [${section}], ${ignored.join(', ')} ${ignored.length === 1 ? 'is' : 'are'} not read by Strata and ignored`
          : `${path}:${at.sections[section] ?? 0}: section [${section}] is not read by Strata; its options (${ignored.join(', ') || 'none'}) are ignored`,
      );
  }
  return { path, doc, at, warnings };
};

const PATH_OPTIONS = ['state_path', 'catalog_path', 'volumes_path', 'backup_posix_path', 'backup_mount_point_base'] as const;

const expandStatePath = (options: StrataOptions, cwd: string): StrataOptions => {
  const statePath = resolve(cwd, options.state_path);
  const expand = (s: string) => s.split('$state_path').join(statePath);
  const out: Record<string, unknown> = { ...options, state_path: statePath };
  // Only [DEFAULT]'s strings: a password in [keystone_authtoken] may contain "$state_path" literally.
  for (const [k, v] of Object.entries(out)) if (typeof v === 'string') out[k] = expand(v);
  for (const k of PATH_OPTIONS) out[k] = resolve(cwd, out[k] as string);
  const store = out.event_store as string;
  if (store.startsWith('sqlite:')) out.event_store = `sqlite:${resolve(cwd, store.slice('sqlite:'.length))}`;
  return out as StrataOptions;
};

/** Combinations Cinder would only discover mid-backup are refused at start-up. */
const validate = (o: StrataOptions) => {
  if (o.backup_file_size % o.backup_sha_block_size_bytes !== 0)
    throw new InvalidConfiguration(
      `backup_file_size (${o.backup_file_size}) must be a multiple of backup_sha_block_size_bytes (${o.backup_sha_block_size_bytes})`,
    );
  if (o.backup_swift_object_size % o.backup_swift_block_size !== 0)
    throw new InvalidConfiguration(
      `backup_swift_object_size (${o.backup_swift_object_size}) must be a multiple of backup_swift_block_size (${o.backup_swift_block_size})`,
    );
  if (!/^(sqlite:.+|memory:|esdbs?(\+discover)?:\/\/.+)$/.test(o.event_store))
    throw new InvalidConfiguration(`event_store must be sqlite:PATH, memory: or esdb://HOST:PORT..., got "${o.event_store}"`);
  if (o.auth_strategy === 'tokens' && !o.token_file) throw new InvalidConfiguration('auth_strategy = tokens needs token_file');
  if (o.auth_strategy === 'keystone') validateKeystoneAuthtoken(o);
  if (o.key_manager.backend === 'barbican') validateBarbican(o);
  validateRepositoryOptions(o);
  validateManagedVolumePaths(o);
  validateDefaultVolumeType(o);
  validateNotificationOptions(o);
  validateServiceOptions(o);
};

/**
 * A notification driver that publishes needs a broker it can reach with AMQP 0-9-1: oslo.messaging's
 * `rabbit://` URLs (one host; `amqp://` is accepted as the same thing). Refused at start-up rather than
 * accepted and never delivered.
 */
const validateNotificationOptions = (o: StrataOptions) => {
  if (o.notification_driver !== 'messagingv2' && o.notification_driver !== 'messaging') return;
  const url = o.notification_transport_url || o.transport_url;
  if (!url)
    throw new InvalidConfiguration(
      `[oslo_messaging_notifications] driver = ${o.notification_driver} needs transport_url (or [oslo_messaging_notifications] transport_url)`,
    );
  if (!/^(rabbit|amqp):\/\/[^,]+$/.test(url))
    throw new InvalidConfiguration(
      `transport_url must be rabbit://USER:PASS@HOST:PORT/VHOST (one host), got "${url.replace(/:[^:@/]*@/, ':***@')}"`,
    );
  if (o.notification_topics.length === 0)
    throw new InvalidConfiguration('[oslo_messaging_notifications] topics must name at least one topic');
  if (!o.control_exchange.trim()) throw new InvalidConfiguration('control_exchange must not be empty');
};

/**
 * The host is what `cinder service-disable HOST` names, so it must pass Cinder's host pattern; a service
 * that reports less often than it is judged down would flap (Cinder raises service_down_time, Strata says so).
 */
const validateServiceOptions = (o: StrataOptions) => {
  if (o.host.length > 255 || !/^[a-zA-Z0-9-._#@:/+[\]]+$/.test(o.host))
    throw new InvalidConfiguration(`host must be 1 to 255 of the characters a-z A-Z 0-9 - . _ # @ : / + [ ], got "${o.host}"`);
  if (o.service_down_time <= o.report_interval)
    throw new InvalidConfiguration(
      `service_down_time (${o.service_down_time}) must be greater than report_interval (${o.report_interval})`,
    );
};

/**
 * Cinder requires the option and reads it at first use; a name no type can have (blank, longer than a
 * name) is refused here, and a type that does not exist is Cinder's 500 when a volume first needs it.
 */
const validateDefaultVolumeType = (o: StrataOptions) => {
  if (o.default_volume_type.trim() === '' || o.default_volume_type.length > 255)
    throw new InvalidConfiguration(
      `default_volume_type must name a volume type (1 to 255 characters, not blank), got "${o.default_volume_type}"`,
    );
};

/** A relative entry would depend on the working directory of whichever process reads it. */
const validateManagedVolumePaths = (o: StrataOptions) => {
  for (const entry of o.managed_volume_paths)
    if (!isAbsolute(entry))
      throw new InvalidConfiguration(
        `managed_volume_paths must list absolute directories or device globs (such as /srv/images or /dev/loop*), got "${entry}"`,
      );
};

/** What the configured backup_driver needs, refused at start-up as Cinder's drivers refuse it at init. */
const validateRepositoryOptions = (o: StrataOptions) => {
  const driver = o.backup_driver.toLowerCase();
  if (driver.includes('swift')) {
    if (o.backup_swift_auth === 'per_user')
      throw new InvalidConfiguration(
        "backup_swift_auth = per_user needs the requesting user's token, which Strata's worker does not have when it runs or " +
          'resumes a job; use backup_swift_auth = single_user with backup_swift_auth_url, backup_swift_user and backup_swift_key',
      );
    for (const name of ['backup_swift_auth_url', 'backup_swift_user', 'backup_swift_key'] as const)
      if (!o[name]) throw new InvalidConfiguration(`backup_driver ${o.backup_driver} needs ${name}`);
    if (o.backup_swift_auth_version !== '1' && !o.backup_swift_project && !o.backup_swift_tenant)
      throw new InvalidConfiguration(
        `backup_swift_auth_version ${o.backup_swift_auth_version} needs backup_swift_project or backup_swift_tenant`,
      );
  }
  if (driver.includes('nfs') && !/^.+:.+$|^\//.test(o.backup_share))
    throw new InvalidConfiguration(`backup_driver ${o.backup_driver} needs backup_share as HOST:EXPORT_PATH, got "${o.backup_share}"`);
};

/** keystonemiddleware fails every request without these; Strata refuses to start instead. */
const validateKeystoneAuthtoken = (o: StrataOptions) => {
  const k = o.keystone_authtoken;
  for (const name of ['www_authenticate_uri', 'auth_url', 'username', 'password', 'project_name'] as const)
    if (!k[name]) throw new InvalidConfiguration(`auth_strategy = keystone needs [keystone_authtoken] ${name}`);
  for (const name of ['www_authenticate_uri', 'auth_url'] as const)
    if (!/^https?:\/\/[^\s"]+$/.test(k[name]))
      throw new InvalidConfiguration(`[keystone_authtoken] ${name} must be an http(s) URL, got "${k[name]}"`);
};

/** Barbican takes the caller's Keystone token: there is none without Keystone. */
const validateBarbican = (o: StrataOptions) => {
  if (o.auth_strategy !== 'keystone')
    throw new InvalidConfiguration("[key_manager] backend = barbican needs auth_strategy = keystone (Barbican takes the caller's token)");
  if (!/^https?:\/\/[^\s"]+$/.test(o.barbican.barbican_endpoint))
    throw new InvalidConfiguration(`[barbican] barbican_endpoint must be an http(s) URL, got "${o.barbican.barbican_endpoint}"`);
};
