export { parseIni, parseIniLocated, IniSyntaxError, type IniDocument, type IniLocations } from './ini';
export { InvalidOption } from './option-parsers';
export { optionDefinitions, SECRET_OPTIONS, type OptionName, type StrataOptions } from './strata-options';
export {
  loadConfig,
  readConfig,
  describeSource,
  InvalidConfiguration,
  type ConfigReport,
  type LoadConfigInput,
  type OptionSource,
} from './load-config';
export { keystoneAuthtokenDefinitions, type KeystoneAuthtokenOptions } from './keystone-authtoken-options';
export { ConfigModule, STRATA_OPTIONS } from './config.module';
export { ownStatePaths, managedPathPolicyOf, type OwnStatePath } from './own-state-paths';
export { keyManagerDefinitions, barbicanDefinitions, type KeyManagerOptions, type BarbicanOptions } from './key-manager-options';
