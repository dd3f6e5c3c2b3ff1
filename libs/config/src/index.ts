export { parseIni, IniSyntaxError, type IniDocument } from './ini';
export { InvalidOption } from './option-parsers';
export { optionDefinitions, type OptionName, type StrataOptions } from './strata-options';
export { keystoneAuthtokenDefinitions, type KeystoneAuthtokenOptions } from './keystone-authtoken-options';
export { loadConfig, InvalidConfiguration, type LoadConfigInput } from './load-config';
export { ConfigModule, STRATA_OPTIONS } from './config.module';
export { ownStatePaths, managedPathPolicyOf, type OwnStatePath } from './own-state-paths';
export { keyManagerDefinitions, barbicanDefinitions, type KeyManagerOptions, type BarbicanOptions } from './key-manager-options';
