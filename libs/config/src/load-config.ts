import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseIni, type IniDocument } from './ini';
import { barbicanDefinitions, keyManagerDefinitions } from './key-manager-options';
import { keystoneAuthtokenDefinitions } from './keystone-authtoken-options';
import { InvalidOption, isOptionValueError, type OptionParser } from './option-parsers';
import { optionDefinitions, type StrataOptions } from './strata-options';

export interface LoadConfigInput {
  /** Environment to read STRATA_CONFIG and STRATA_<OPTION> overrides from. */
  readonly env?: NodeJS.ProcessEnv;
  /** Directory relative paths are resolved against (the working directory by default). */
  readonly cwd?: string;
}

export class InvalidConfiguration extends Error {
  override readonly name = 'InvalidConfiguration';
}

/** Reads strata.conf and the environment into typed, validated options; throws before anything starts. */
export const loadConfig = ({ env = process.env, cwd = process.cwd() }: LoadConfigInput = {}): StrataOptions => {
  const { doc, path: configPath } = readConfigFile(env, cwd);
  const raw = readSection(optionDefinitions, doc.DEFAULT ?? {}, configPath, env, 'STRATA_') as Record<string, unknown>;
  raw.keystone_authtoken = readSection(
    keystoneAuthtokenDefinitions,
    doc.keystone_authtoken ?? {},
    configPath,
    env,
    'STRATA_KEYSTONE_AUTHTOKEN_',
  );
  raw.key_manager = readSection(keyManagerDefinitions, doc.key_manager ?? {}, configPath, env, 'STRATA_KEY_MANAGER_');
  raw.barbican = readSection(barbicanDefinitions, doc.barbican ?? {}, configPath, env, 'STRATA_BARBICAN_');
  const options = expandStatePath(raw as StrataOptions, cwd);
  validate(options);
  return options;
};

/** Each option of one section: the environment first, then the file, then the default. */
const readSection = <D extends Record<string, OptionParser<unknown>>>(
  definitions: D,
  fileValues: Record<string, string>,
  configPath: string | null,
  env: NodeJS.ProcessEnv,
  envPrefix: string,
): { [K in keyof D]: unknown } => {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(definitions)) {
    const parser = definitions[name];
    const envName = `${envPrefix}${name.toUpperCase()}`;
    const fromEnv = env[envName];
    const [text, source] = fromEnv !== undefined ? [fromEnv, `environment ${envName}`] : [fileValues[name], configPath ?? ''];
    if (text === undefined) {
      out[name] = parser.defaultValue;
      continue;
    }
    try {
      out[name] = parser.parse(text);
    } catch (e) {
      if (isOptionValueError(e)) throw new InvalidOption(name, source, e.message);
      throw e;
    }
  }
  return out as { [K in keyof D]: unknown };
};

const readConfigFile = (env: NodeJS.ProcessEnv, cwd: string): { doc: IniDocument; path: string | null } => {
  const explicit = env.STRATA_CONFIG || undefined;
  const path = resolve(cwd, explicit ?? 'strata.conf');
  if (!existsSync(path)) {
    if (explicit) throw new InvalidConfiguration(`Configuration file ${path} (STRATA_CONFIG) does not exist`);
    return { doc: {}, path: null };
  }
  return { doc: parseIni(readFileSync(path, 'utf8')), path };
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
